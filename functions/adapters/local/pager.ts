// The local runtime's paging service: every page and every acknowledgement or resolution told
// to a team's service is recorded (GET /local/pages lists them, with their one-time links).
import type { PagingService } from '../../../domain/on-call';
import type { PageRequest, Pager } from '../../ports';

export interface RecordedPage extends PageRequest {
  at: string;
  /** What the team's service was told since: acknowledged, resolved. */
  closed: ('acknowledge' | 'resolve')[];
}

const MAX_PAGES = 1000;

export class RecordingPager implements Pager {
  readonly pages: RecordedPage[] = [];

  constructor(private readonly now: () => number) {}

  async page(request: PageRequest): Promise<void> {
    // A service's routing key is a secret of the team: never listed.
    const via: PagingService =
      request.via.kind === 'pagerduty' ? { kind: 'pagerduty', routingKey: '…' } : request.via;
    this.pages.push({ ...request, via, at: new Date(this.now()).toISOString(), closed: [] });
    if (this.pages.length > MAX_PAGES) this.pages.shift();
  }

  async close(dedupKey: string, _via: PagingService, how: 'acknowledge' | 'resolve'): Promise<void> {
    for (const p of this.pages) if (p.dedupKey === dedupKey && !p.closed.includes(how)) p.closed.push(how);
  }
}
