// The pages' one way to the API: same origin, the session cookie, the header that proves a
// change comes from our own pages (CSRF), and the API's error shape as an exception.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** Fired when the API says the session has ended: the app goes back to signing in. */
export const SIGNED_OUT = 'sla-desk:signed-out';

/** Any failure as an ApiError: the API's own, or one that says to try again. */
export const asApiError = (e: unknown): ApiError =>
  e instanceof ApiError ? e : new ApiError(0, 'error', 'Something went wrong; try again.');

export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'sla-desk', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const data = await response.json().catch(() => null);
  if (response.status === 401 && path !== '/auth/session') dispatchEvent(new Event(SIGNED_OUT));
  if (!response.ok) {
    const error = data?.error ?? {};
    throw new ApiError(
      response.status,
      error.code ?? 'error',
      error.message ?? response.statusText,
      error.details,
    );
  }
  return data as T;
}

export interface Session {
  role: 'admin' | 'agent' | 'customer';
  name: string;
  /** The staff member signed in (staff sessions). */
  staffId?: string | null;
  customerId: string | null;
  contactEmail: string | null;
  /** The server's clock when the session was read. */
  now: string;
}
