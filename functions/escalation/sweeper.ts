// The sweeper: every 5 minutes on AWS (and at every clock tick locally) it attends the tickets
// whose deadline passed without its event being handled, or whose mail is still unsent. An
// invocation that overlaps a running sweep does nothing (the sweep's lease, app/attend.ts).
import { sweep } from '../app/attend';
import { logger, observed } from '../observability';
import { deps } from '../wiring';

export const handler = observed(async () => {
  const result = await sweep(deps());
  if (result) logger.info('sweep done', result);
  return result;
});
