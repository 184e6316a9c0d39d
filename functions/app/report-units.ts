// A month's run, one unit per customer: the report built, stored, mailed once and counted. The
// report function runs the units it takes from SQS; locally they run in-process.
import { config } from '../config';
import { count } from '../metrics';
import { errorFields, logger } from '../observability';
import type { CustomerRecord, Deps, ReportUnit } from '../ports';
import { iso } from './common';
import { renderReportMail } from './report-mail';
import { buildReport } from './reports';

/** Units a run attempts, at most (SQS's receive count on AWS): then it is counted failed. */
export const UNIT_ATTEMPTS = 3;

/**
 * One customer's report of a run: built, stored, mailed once, counted. A failure is thrown for
 * the queue to retry; on the last attempt it is counted failed with its reason first (the
 * message then lands in the dead-letter queue on AWS).
 */
export async function reportUnit(deps: Deps, unit: ReportUnit, lastAttempt: boolean): Promise<void> {
  const at = () => iso(deps.clock.now());
  try {
    const customer = await deps.directory.getCustomer(unit.customerId);
    if (!customer) throw new Error(`customer ${unit.customerId} no longer exists`);
    const mailed = await reportCustomer(deps, customer, unit.month, unit.resend);
    await deps.reports.countUnit(unit.month, mailed ? 'mailed' : 'done', at());
  } catch (error) {
    const reason = String((error as Error)?.message ?? error);
    logger.error('monthly report failed for a customer', {
      customerId: unit.customerId,
      month: unit.month,
      lastAttempt,
      ...errorFields(error),
    });
    if (lastAttempt)
      await deps.reports.countUnit(unit.month, 'failed', at(), {
        customerId: unit.customerId,
        error: reason,
      });
    throw error;
  }
}

async function reportCustomer(
  deps: Deps,
  customer: CustomerRecord,
  month: string,
  resend: boolean,
): Promise<boolean> {
  const { report, rows } = await buildReport(deps, customer, month);
  const before = await deps.reports.getStored(customer.id, month);
  const mail = !before?.mailedAt || resend;
  // Stored first: a failed mail leaves the report readable and the next run mails it.
  await deps.reports.put(customer.id, month, { report, mailedAt: before?.mailedAt ?? null });
  if (!mail) return false;
  const message = renderReportMail(report, rows);
  await deps.mailer.send({
    to: customer.contacts.map((c) => c.email),
    // The customer's support manager is copied.
    ...(customer.supportManager ? { cc: [customer.supportManager.email] } : {}),
    ...message,
    messageId: `<report.${customer.id}.${month}.${Date.now().toString(36)}@${config().MAIL_DOMAIN}>`,
  });
  count('MailSent', customer.planId);
  await deps.reports.put(customer.id, month, { report, mailedAt: iso(deps.clock.now()) });
  return true;
}
