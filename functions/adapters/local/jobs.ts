// The local runtime's job queue (SQS on AWS): jobs kept in DynamoDB Local beside the local
// schedules, so a restart of `npm start` loses none; the runtime runs the due ones (a timer on
// the real clock, in time order as the virtual clock moves), with their receive count. A job
// leaves the queue after it ran (or is put back for its retry), so a crash mid-run loses none.
import { randomUUID } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock, Job, JobQueue } from '../../ports';
import { dueItems } from './scheduler';

export interface QueuedJob {
  name: string;
  at: number;
  job: Job;
  /** Times it was run before. */
  runs: number;
  firstAt: number | null;
}

const iso = (t: number) => new Date(t).toISOString();
// Jobs due at the same time run in the order they were sent (within a run of the runtime).
let sent = 0;

export class LocalJobQueue implements JobQueue {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  /** Called once a job is queued (the runtime runs it then, as SQS would hand it on). */
  onSent: (() => void) | null = null;

  async send(job: Job): Promise<void> {
    const name = `JOB#${String(++sent).padStart(10, '0')}-${randomUUID()}`;
    await this.put({ name, at: this.clock.now(), job, runs: 0, firstAt: null });
    this.onSent?.();
  }

  /** Puts a job (back) to run at `at`. */
  put(queued: QueuedJob): Promise<void> {
    const { name, ...rest } = queued;
    return this.db
      .send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: name, sk: 'JOB', ...rest, duePartition: 'JOBS', dueKey: `${iso(queued.at)}#${name}` },
        }),
      )
      .then(() => undefined);
  }

  /** The earliest jobs due at or before `upTo`. */
  async due(upTo: number, limit = 25): Promise<QueuedJob[]> {
    return (await dueItems(this.db, this.table, 'JOBS', upTo, limit)).map((i) => ({
      name: i.pk as string,
      at: i.at as number,
      job: i.job as Job,
      runs: i.runs as number,
      firstAt: (i.firstAt as number | null) ?? null,
    }));
  }

  /** Takes a job off the queue once it has run. */
  async remove(name: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: { pk: name, sk: 'JOB' } }));
  }
}
