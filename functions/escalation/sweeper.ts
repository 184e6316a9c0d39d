// The sweeper: every 5 minutes on AWS (and at every clock tick locally) it attends the tickets
// whose deadline passed without its event being handled, or whose mail is still unsent.
import { sweep } from '../app/attend';
import { deps } from '../wiring';

export const handler = async () => {
  const result = await sweep(deps());
  console.log(JSON.stringify({ level: 'INFO', message: 'sweep done', ...result }));
  return result;
};
