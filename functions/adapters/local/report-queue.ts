// Locally, a report run's units run in-process, one after another, as soon as they are queued:
// each tried up to `attempts` times, as SQS would hand it on; the last failure is counted by the
// unit itself and not thrown further (on AWS it would rest in the dead-letter queue).
import type { ReportQueue, ReportUnit } from '../../ports';

export class InProcessReportQueue implements ReportQueue {
  constructor(
    private readonly run: (unit: ReportUnit, lastAttempt: boolean) => Promise<void>,
    private readonly attempts: number,
  ) {}

  async send(units: ReportUnit[]): Promise<void> {
    for (const unit of units) {
      for (let attempt = 1; attempt <= this.attempts; attempt++) {
        const ok = await this.run(unit, attempt === this.attempts).then(
          () => true,
          () => false,
        );
        if (ok) break;
      }
    }
  }
}
