// The monthly report function: EventBridge Scheduler runs it on the 1st of each month (cron in
// the deployment's time zone); it reports the month that just ended for every customer.
import { previousMonth } from '../../domain/uptime';
import { incidentStore } from '../adapters/aws/incident-store';
import { reportStore } from '../adapters/aws/report-store';
import { runMonthlyReports } from '../app/reports';
import { config } from '../config';
import { addAdapters, deps } from '../wiring';

addAdapters({ incidents: incidentStore, reports: reportStore });

export const handler = async (event: { month?: string; resend?: boolean } = {}) => {
  const d = deps();
  const month = event.month ?? previousMonth(d.clock.now(), config().REPORT_TIME_ZONE);
  const result = await runMonthlyReports(d, month, { resend: event.resend ?? false });
  console.log(JSON.stringify({ level: 'INFO', message: 'monthly reports done', ...result }));
  // Every other customer is done; failing now raises the function's error alarm.
  if (result.failed.length) {
    throw new Error(`monthly reports for ${month}: ${result.failed.length} customer(s) failed`);
  }
  return result;
};
