// The one middy chain every route runs through: normalised headers, a 1 MB body limit, JSON
// parsing, the caller's API key, zod validation of path, query and body, and the only place
// where errors become HTTP statuses and the {"error": {code, message, details}} shape.

import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { CalendarNeverOpen } from '../../domain/calendar';
import {
  Duplicate,
  Forbidden,
  HolidayDataEnds,
  InvalidIcs,
  NotFound,
  RuleViolation,
  TooManyAttempts,
  UnknownHolidayRegion,
  VersionConflict,
} from '../../domain/errors';
import { IllegalTransition, type Role, TransitionNotPermitted } from '../../domain/ticket';
import type * as z from '../../domain/zod';
import { BadCursor } from '../adapters/aws/dynamodb';
import { ItemTooLarge } from '../adapters/aws/item-size';
import type { Principal } from '../app/common';
import { authenticate, bearerKey } from '../app/directory';
import { sessionCookie, sessionPrincipal } from '../app/session-cookie';
import { errorFields, invocation, logger } from '../observability';
import type { Deps } from '../ports';
import { deps as wiredDeps } from '../wiring';

export const MAX_BODY_BYTES = 1024 * 1024;

export type Event = APIGatewayProxyEventV2;
export type Result = APIGatewayProxyStructuredResultV2;

export interface Request<P, Q, B> {
  deps: Deps;
  principal: Principal;
  params: P;
  query: Q;
  body: B;
  /** The body as sent, before parsing (what a sender's signature covers). */
  rawBody: string;
  headers: Record<string, string | undefined>;
  /** The caller's address, as API Gateway saw it. */
  sourceIp: string;
  /** The Cookie header (API Gateway v2 passes cookies apart; they are joined here). */
  cookies: string | undefined;
}

/** A response with its own status or headers; anything else a route returns is its body. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
    /** More than one Set-Cookie (API Gateway's `cookies`; a header would join them with commas). */
    readonly cookies: string[] = [],
  ) {}
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  operationId: string;
  summary: string;
  /** Roles that may call; 'public' needs no key. */
  roles: readonly Role[] | 'public';
  params?: z.ZodMiniType<P>;
  query?: z.ZodMiniType<Q>;
  body?: z.ZodMiniType<B>;
  /** Extra request headers the route reads (for the OpenAPI document). */
  headers?: { name: string; description: string }[];
  /** Headers its success response carries, by name (for the OpenAPI document). */
  responseHeaders?: Record<string, string>;
  status: number;
  /** Other success statuses it may answer with the same body, by status: what each means. */
  alsoAnswers?: Record<number, string>;
  response: z.ZodMiniType;
  /** A response that is not JSON (an HTML page): its media type; the route returns a string. */
  contentType?: string;
  handle(request: Request<P, Q, B>): Promise<Reply | unknown>;
}

/** An error with an HTTP status of its own, for failures that precede the use case. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Detail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

interface Detail {
  field: string;
  in: string;
  message: string;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Result {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function errorReply(
  status: number,
  code: string,
  message: string,
  details: Detail[] = [],
  headers = {},
): Result {
  return json(status, { error: { code, message, details } }, headers);
}

type Issue = z.core.$ZodIssue;

/**
 * A union that matched no branch says so at its own path; the branch that came closest (the
 * fewest issues) says which fields are wrong, which is what a caller needs.
 */
function closest(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || !issue.errors.length) return [issue];
    const best = [...issue.errors].sort((a, b) => a.length - b.length)[0]!;
    return closest(best.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })));
  });
}

function validationError(where: string, error: z.core.$ZodError): HttpError {
  const details = closest(error.issues).map((issue) => ({
    field: issue.path.join('.') || where,
    in: where,
    message: issue.message,
  }));
  const fields = [...new Set(details.map((d) => d.field))].join(', ');
  return new HttpError(400, 'invalid-input', `invalid ${where}: ${fields}`, details);
}

function parse<T>(schema: z.ZodMiniType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(where, result.error);
  return result.data;
}

export const cookiesOf = (event: Event): string | undefined =>
  event.cookies?.length ? event.cookies.join('; ') : event.headers.cookie;

// A browser session's state-changing request must carry this header: a page of another site
// cannot send it (it would need our CORS consent), so with SameSite=Strict no CSRF gets through.
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_VALUE = 'sla-desk';

async function principalOf(deps: Deps, event: Event, roles: RouteSpec['roles']): Promise<Principal> {
  if (roles === 'public') return { keyId: 'public', name: 'anonymous', role: 'customer', customerId: null };
  const key = bearerKey(event.headers.authorization);
  const cookie = key ? null : sessionCookie(cookiesOf(event));
  const challenge = { 'www-authenticate': 'Bearer' };
  if (!key && !cookie)
    throw new HttpError(
      401,
      'unauthorized',
      'send an API key as Authorization: Bearer <key>, or sign in',
      [],
      challenge,
    );
  if (cookie && event.requestContext.http.method !== 'GET' && event.headers[CSRF_HEADER] !== CSRF_VALUE) {
    throw new HttpError(
      403,
      'csrf',
      `a signed-in browser sends ${CSRF_HEADER}: ${CSRF_VALUE} with every change`,
      [{ field: CSRF_HEADER, in: 'header', message: `expected ${CSRF_VALUE}` }],
    );
  }
  const principal = key ? await authenticate(deps, key) : await sessionPrincipal(deps, cookie!);
  if (!principal)
    throw new HttpError(
      401,
      'unauthorized',
      key ? 'the API key is not known' : 'the session has ended; sign in again',
      [],
      challenge,
    );
  if (!roles.includes(principal.role)) {
    throw new HttpError(
      403,
      'forbidden',
      `this route is for ${roles.join(', ')} keys; this is a ${principal.role} key`,
    );
  }
  return principal;
}

/** Maps an error to the contract's status and body. Unknown errors are 500s, logged. */
export function toErrorResult(error: unknown): Result {
  if (error instanceof HttpError)
    return errorReply(error.status, error.code, error.message, error.details, error.headers);
  if (error instanceof NotFound) return errorReply(404, 'not-found', error.message);
  if (error instanceof VersionConflict) return errorReply(409, 'version-conflict', error.message);
  if (error instanceof Duplicate) {
    return errorReply(409, 'duplicate', error.message, [
      { field: error.field, in: 'body', message: error.message },
    ]);
  }
  if (error instanceof Forbidden || error instanceof TransitionNotPermitted)
    return errorReply(403, 'forbidden', error.message);
  if (error instanceof IllegalTransition) {
    return errorReply(422, 'illegal-transition', error.message, [
      { field: 'status', in: 'body', message: error.message },
    ]);
  }
  if (error instanceof RuleViolation) {
    const where = error.field === 'Idempotency-Key' ? 'header' : 'body';
    return errorReply(
      422,
      error.code,
      error.message,
      error.field ? [{ field: error.field, in: where, message: error.message }] : [],
    );
  }
  if (
    error instanceof UnknownHolidayRegion ||
    error instanceof InvalidIcs ||
    error instanceof CalendarNeverOpen
  ) {
    return errorReply(422, 'invalid-calendar', error.message);
  }
  if (error instanceof HolidayDataEnds) {
    return errorReply(503, 'holiday-data-outdated', error.message);
  }
  if (error instanceof TooManyAttempts) {
    return errorReply(429, 'too-many-attempts', error.message, [], {
      'retry-after': String(error.retryAfterSeconds),
    });
  }
  if (error instanceof ItemTooLarge) {
    return errorReply(413, 'item-too-large', error.message, [
      { field: error.field, in: 'body', message: error.message },
    ]);
  }
  if (error instanceof BadCursor) {
    return errorReply(400, 'invalid-input', error.message, [
      { field: 'cursor', in: 'query', message: error.message },
    ]);
  }
  if (unreachable(error)) {
    return errorReply(503, 'store-unavailable', 'the store cannot be reached; retry in a moment', [], {
      'retry-after': '2',
    });
  }
  const cause = (error as { cause?: { package?: string } })?.cause;
  if (cause?.package === '@middy/http-json-body-parser') {
    return errorReply(400, 'malformed-json', 'the request body is not valid JSON', [
      { field: 'body', in: 'body', message: 'expected a JSON document' },
    ]);
  }
  logger.error('unhandled error', errorFields(error));
  return errorReply(500, 'internal', 'something went wrong on our side; the request may be retried');
}

/** A connection to the store that failed (refused, reset): the request may be retried as it is. */
function unreachable(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  return typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(code);
}

const bodyLimit = (): middy.MiddlewareObj<Event, Result> => ({
  before: ({ event }) => {
    if (event.body === undefined || event.body === null) return;
    const bytes = event.isBase64Encoded
      ? Math.floor((event.body.length * 3) / 4)
      : Buffer.byteLength(event.body);
    if (bytes > MAX_BODY_BYTES) {
      throw new HttpError(
        413,
        'payload-too-large',
        `the body is ${bytes} bytes; the limit is ${MAX_BODY_BYTES}`,
      );
    }
  },
});

const errorMapper = (): middy.MiddlewareObj<Event, Result> => ({
  onError: (request) => {
    request.response = toErrorResult(request.error);
  },
});

const requireBody = (): middy.MiddlewareObj<Event, Result> => ({
  before: ({ event }) => {
    if (event.body === undefined || event.body === null || event.body === '') {
      throw new HttpError(400, 'invalid-input', 'this route needs a JSON body', [
        { field: 'body', in: 'body', message: 'expected a JSON document' },
      ]);
    }
  },
});

type WithRaw = Event & { rawBody?: string };

/** Keeps the body as sent for routes that verify a signature over it. */
const keepRawBody = (): middy.MiddlewareObj<Event, Result> => ({
  before: async (request) => {
    const { body, isBase64Encoded } = request.event;
    (request.event as WithRaw).rawBody = !body
      ? ''
      : isBase64Encoded
        ? Buffer.from(body, 'base64').toString('utf8')
        : body;
  },
});

/** `If-Match: "3"` pins the version a change applies to; a mismatch is a 409. */
export function expectedVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match) {
    throw new HttpError(400, 'invalid-input', 'If-Match must be a ticket version such as "3"', [
      { field: 'If-Match', in: 'header', message: 'expected a version number' },
    ]);
  }
  return Number(match[1]);
}

/** Every log line of a request names it (API Gateway's request id) and, on a ticket's routes, the ticket. */
const requestKeys = (): middy.MiddlewareObj<Event, Result> => ({
  before: ({ event }) => {
    const ticketId = event.routeKey.includes(' /tickets/{id}') ? event.pathParameters?.id : undefined;
    logger.appendKeys({ requestId: event.requestContext.requestId, ...(ticketId ? { ticketId } : {}) });
  },
});

/** The Lambda handler of one route. */
export function routeHandler<P, Q, B>(spec: RouteSpec<P, Q, B>, depsOf: () => Deps = wiredDeps) {
  const chain = middy<Event, Result>()
    .use(invocation())
    .use(requestKeys())
    .use(errorMapper())
    .use(httpHeaderNormalizer())
    .use(bodyLimit());
  // Every body is JSON whatever its Content-Type says (middy 6 supports the option; its .d.ts lags).
  const parseAnyContentType = { disableContentTypeCheck: true } as Parameters<typeof httpJsonBodyParser>[0];
  if (spec.body) chain.use(requireBody()).use(keepRawBody()).use(httpJsonBodyParser(parseAnyContentType));
  return chain.handler(async (event) => {
    const deps = depsOf();
    const principal = await principalOf(deps, event, spec.roles);
    const request: Request<P, Q, B> = {
      deps,
      principal,
      params: parse(spec.params, event.pathParameters ?? {}, 'path'),
      query: parse(spec.query, event.queryStringParameters ?? {}, 'query'),
      body: parse(spec.body, event.body, 'body'),
      rawBody: (event as WithRaw).rawBody ?? '',
      headers: event.headers,
      sourceIp: event.requestContext.http.sourceIp,
      cookies: cookiesOf(event),
    };
    const reply = await spec.handle(request);
    const { status, body, headers, cookies } = reply instanceof Reply ? reply : new Reply(spec.status, reply);
    if (!spec.contentType) return { ...json(status, body, headers), ...(cookies.length ? { cookies } : {}) };
    return {
      statusCode: status,
      headers: { 'content-type': spec.contentType, ...headers },
      body: String(body),
    };
  });
}
