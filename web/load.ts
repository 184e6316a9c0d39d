// Loading data into a page: the value, the error in words, and a way to load it again.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, asApiError } from './api';

export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): { data: T | null; error: string | null; reload(): void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    load()
      .then((value) => {
        setData(value);
        setError(null);
      })
      .catch((e) => setError(e instanceof ApiError ? e.message : 'Something went wrong.'));
  }, [...deps, round]);
  return { data, error, reload: () => setRound((r) => r + 1) };
}

/** Now, by the server's clock (`serverNow` read at `readAt`), ticking every second. */
export function useServerNow(serverNow: string | null, readAt: number): number {
  const [tick, setTick] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setTick(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return serverNow ? Date.parse(serverNow) + (tick - readAt) : tick;
}

/** A form's fields, its error from the API and whether it is being sent. */
export function useForm<T extends Record<string, string>>(initial: T, initialError: ApiError | null = null) {
  const [form, setForm] = useState(initial);
  const [error, setError] = useState<ApiError | null>(initialError);
  const [busy, setBusy] = useState(false);
  const set = (field: keyof T) => (e: Event) =>
    setForm({ ...form, [field]: (e.target as HTMLInputElement).value });
  /** Runs `send` as the form's submit: busy meanwhile, its ApiError shown. */
  const submit = (send: () => Promise<unknown>) => async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await send();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return { form, set, error, busy, submit };
}

/** A page's actions (reply, resolve, change): the page reloads after each, its error shown. */
export function useAction(reload: () => void) {
  const [problem, setProblem] = useState<string | null>(null);
  const act = async (call: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await call();
      reload();
    } catch (e) {
      setProblem(asApiError(e).message);
    }
  };
  return { problem, act };
}
