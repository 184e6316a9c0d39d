// Each Lambda's exported handler as Lambda calls it: (event, context), on the wired deps. The
// handlers used to take injected deps as a second argument, where Lambda passes its context.
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as deadline } from '../../functions/escalation/handler';
import { handler as sweeper } from '../../functions/escalation/sweeper';
import { handler as stream } from '../../functions/integrations/stream';
import { handler as worker } from '../../functions/integrations/worker';
import { handler as reports } from '../../functions/reports/handler';
import { lambdaContext } from '../../infra/local/gateway';
import { harness } from './harness';

const sqsRecord = (body: unknown): SQSEvent['Records'][number] =>
  ({
    messageId: 'm-1',
    receiptHandle: 'r-1',
    body: JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1', ApproximateFirstReceiveTimestamp: String(Date.now()) },
  }) as never;

describe('the Lambda handlers, invoked as Lambda invokes them', () => {
  it('run on the wired deps, whatever the second argument', async () => {
    const h = await harness('2026-12-01T06:00:00Z');
    await h.customer('ombori-pilot');

    const run = await reports({ month: '2026-11' }, lambdaContext());
    expect(run).toMatchObject({ month: '2026-11', customers: expect.any(Number) });

    const timelineItem = marshall({ pk: 'TICKET#TKT-NOSUCH0000', sk: 'T#000001', type: 'note', seq: 1 });
    const streamed = await stream(
      {
        Records: [{ eventName: 'INSERT', dynamodb: { NewImage: timelineItem, SequenceNumber: '1' } }],
      } as never as DynamoDBStreamEvent,
      lambdaContext(),
    );
    expect(streamed).toEqual({ batchItemFailures: [] }); // no such ticket: nothing to publish, nothing failed

    const job = { kind: 'deliver', customerId: 'CUS-NOSUCH0000', deliveryId: 'WHK-NOSUCH0000' };
    expect(await worker({ Records: [sqsRecord(job)] }, lambdaContext())).toEqual({ batchItemFailures: [] });

    expect(await sweeper(undefined, lambdaContext())).toEqual({ attended: 0, handled: 0, mailed: 0 });
    const event = { ticketId: 'TKT-NOSUCH0000', clock: 'response', kind: 'breach', generation: 1 };
    expect(await deadline(event, lambdaContext())).toMatchObject({ outcome: 'stale' });
  });
});
