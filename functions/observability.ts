// Logs as Powertools for AWS Lambda writes them: one JSON object a line, at the level
// POWERTOOLS_LOG_LEVEL sets, with the Lambda context of the invocation (cold start, request id)
// and the ticketId / requestId a handler appends. Metrics are in metrics.ts, carried only by
// the functions that count something.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

export const SERVICE = 'sla-desk';

export const logger = new Logger({ serviceName: SERVICE });

const endings: (() => void)[] = [];

/** Runs `fn` when each invocation ends, also when it fails (metrics.ts publishes there). */
export function atInvocationEnd(fn: () => void): void {
  endings.push(fn);
}

const ended = () => {
  for (const fn of endings) fn();
};

/**
 * The middlewares of every handler: its invocation's context in each log line (keys appended
 * during one invocation are dropped before the next), and what runs when it ends.
 */
export function invocation(): middy.MiddlewareObj[] {
  return [injectLambdaContext(logger, { resetKeys: true }), { after: ended, onError: ended }];
}

/** A Lambda handler with the middlewares of `invocation`. */
export function observed<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return middy(handler).use(invocation());
}

/** `{ error: { name, message, stack } }` for a log line, whatever was thrown. */
export function errorFields(error: unknown): { error: Error | string } {
  return { error: error instanceof Error ? error : String(error) };
}
