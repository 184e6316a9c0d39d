// The live console: one connection per console (server-sent events locally, a WebSocket on
// AWS) opened with a one-time token from POST /live/tickets. A ticket change reads the list,
// the counts and an open ticket again; a presence says who else is on a ticket. A dropped
// connection comes back with a new token and reads everything again (what it missed is re-read,
// or, locally, replayed from the last event it saw).
import { signal } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { listRound, loadViews } from './store';

export type LiveEvent =
  | { type: 'ticket'; ticketId: string; revision: number; at: string }
  | {
      type: 'presence';
      ticketId: string;
      staffId: string;
      name: string;
      state: 'viewing' | 'writing' | 'left';
      at: string;
    };

export interface Present {
  staffId: string;
  name: string;
  state: 'viewing' | 'writing';
  at: string;
}

type Listener = (e: LiveEvent | { type: 'resync' }) => void;

const listeners = new Set<Listener>();
/** Whether the connection is up (the console shows it). */
export const liveUp = signal(false);
let started = false;
let lastEventId: string | null = null;

function dispatch(e: LiveEvent | { type: 'resync' }) {
  for (const listen of listeners) listen(e);
}

async function connect(): Promise<void> {
  const opened = await api<{ transport: 'sse' | 'websocket'; url: string }>('POST', '/live/tickets');
  const again = () => {
    liveUp.value = false;
    setTimeout(() => connect().catch(() => setTimeout(again, 5000)), 1000);
  };
  const received = (data: string) => {
    const { events } = JSON.parse(data) as { events: LiveEvent[] };
    for (const e of events) dispatch(e);
  };
  if (opened.transport === 'sse') {
    const source = new EventSource(lastEventId ? `${opened.url}&lastEventId=${lastEventId}` : opened.url);
    source.onopen = () => {
      liveUp.value = true;
    };
    source.onmessage = (m) => {
      lastEventId = m.lastEventId || lastEventId;
      received(m.data);
    };
    for (const name of ['ready', 'resync'] as const)
      source.addEventListener(name, (m) => {
        lastEventId = (m as MessageEvent).lastEventId || lastEventId;
        if (name === 'resync') dispatch({ type: 'resync' });
      });
    source.onerror = () => {
      // The token was used once: a reconnect needs a new one.
      source.close();
      again();
    };
    return;
  }
  const socket = new WebSocket(opened.url);
  socket.onopen = () => {
    if (lastEventId !== null) dispatch({ type: 'resync' }); // what came while it was down is read again
    lastEventId = 'connected';
    liveUp.value = true;
  };
  socket.onmessage = (m) => received(String(m.data));
  socket.onclose = again;
}

/** Starts the console's connection once; `listen` hears every event while mounted. */
export function useLive(listen: Listener, deps: unknown[], enabled = true): void {
  useEffect(() => {
    if (!enabled) return;
    if (!started) {
      started = true;
      connect().catch(() => {
        started = false;
      });
    }
    listeners.add(listen);
    return () => {
      listeners.delete(listen);
    };
  }, deps);
}

let pending: ReturnType<typeof setTimeout> | null = null;

/** The workspace (a person's session): a change of any ticket reads the list and the counts again (changes within 300 ms read once). */
export function useLiveWorkspace(enabled: boolean): void {
  useLive(
    (e) => {
      if ((e.type === 'ticket' || e.type === 'resync') && !pending)
        pending = setTimeout(() => {
          pending = null;
          listRound.value++;
          loadViews().catch(() => {});
        }, 300);
    },
    [enabled],
    enabled,
  );
}

const BEAT_MS = 20_000;

/**
 * An open ticket: reads it again when it changes, says the person is viewing or writing (every
 * 20 s, and at once when that changes), and answers who else is there.
 */
export function usePresence(ticketId: string, writing: boolean, onChanged: () => void): Present[] {
  const [others, setOthers] = useState<Present[]>([]);
  const say = (state: 'viewing' | 'writing' | 'left') =>
    api<{ items: Present[] }>('POST', `/tickets/${encodeURIComponent(ticketId)}/presence`, { state })
      .then((r) => state !== 'left' && setOthers(r.items))
      .catch(() => {});
  useEffect(() => {
    say(writing ? 'writing' : 'viewing');
    const timer = setInterval(() => say(writing ? 'writing' : 'viewing'), BEAT_MS);
    return () => clearInterval(timer);
  }, [ticketId, writing]);
  useEffect(() => () => void say('left'), [ticketId]);
  useLive(
    (e) => {
      if (e.type === 'resync' || (e.type === 'ticket' && e.ticketId === ticketId)) onChanged();
      if (e.type === 'presence' && e.ticketId === ticketId)
        api<{ items: Present[] }>('GET', `/tickets/${encodeURIComponent(ticketId)}/presence`)
          .then((r) => setOthers(r.items))
          .catch(() => {});
    },
    [ticketId],
  );
  return others;
}
