// The OpenAPI 3.1 document, generated from the route table and its zod schemas (JSON Schema
// 2020-12, so a nullable enum is `anyOf: [enum, null]`). The API tests validate every response
// they get against the served document, so the two cannot drift.
import * as z from '../../domain/zod';
import type { RouteSpec } from './middleware';
import { ErrorResponse } from './schemas';

const ERRORS: Record<string, { description: string; headers?: Record<string, string> }> = {
  '400': { description: 'Invalid input: the failing fields are in error.details' },
  '401': {
    description: 'No or unknown API key',
    headers: { 'WWW-Authenticate': 'Bearer: the scheme to authenticate with' },
  },
  '403': { description: 'The key’s role may not do this' },
  '404': { description: 'No such resource (or not yours)' },
  '409': { description: 'Version conflict or duplicate' },
  '413': { description: 'Body over 1 MB, or an item too large to store (error.details names the part)' },
  '422': { description: 'Valid input the plan or the ticket’s state does not allow' },
  '429': {
    description: 'Too many requests (sign-in links per address and per IP, or API throttling)',
    headers: { 'Retry-After': 'Seconds to wait before retrying' },
  },
  '503': {
    description: 'The store cannot be reached for a moment; retry',
    headers: { 'Retry-After': 'Seconds to wait before retrying' },
  },
};

// Examples of path parameters, by the collection they name.
const PATH_EXAMPLES: Record<string, string> = {
  tickets: 'TKT-7K3QF9M2XA',
  customers: 'CUS-4D2M8Q1R7T',
  incidents: 'INC-9P3K7W2X5B',
  partners: 'PTN-6H2K9M3Q7W',
  staff: 'STF-2K8M4Q9R3T',
  teams: 'TEAM-4M9Q2K7R3T',
  sessionId: 'SES-7W3K9P2M4X',
  'api-keys': 'KEY-5R8T2K9M3Q',
  plans: 'ombori-pilot',
  views: 'VEW-3K9M2Q7R4T',
  macros: 'MAC-8P2K4M9Q3W',
  month: '2026-11',
  seq: '1',
  index: '0',
  teamId: 'T0123ABCD',
  channelId: 'C0456EFGH',
  webhookId: 'WHK-3F8K2M9Q7X',
  deliveryId: 'evt_TKT-7K3QF9M2XA_1.WHK-3F8K2M9Q7X',
};

function jsonSchema(schema: z.ZodMiniType, io: 'input' | 'output') {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

function headerObjects(headers: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]),
  );
}

function parameters(schema: z.ZodMiniType | undefined, where: 'path' | 'query', path: string) {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    // `{id}` takes its example from the collection before it: /tickets/{id} → TKT-….
    const collection = name === 'id' ? /\/([\w-]+)\/\{id\}/.exec(path)?.[1] : name;
    const example = where === 'path' ? PATH_EXAMPLES[collection ?? ''] : undefined;
    return {
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      schema: property,
      ...(example ? { example } : {}),
    };
  });
}

export function openApiDocument(routes: readonly RouteSpec<never, never, never>[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const success = (description: string) => ({
      description,
      ...(r.responseHeaders ? { headers: headerObjects(r.responseHeaders) } : {}),
      content: r.contentType
        ? { [r.contentType.split(';')[0]!]: { schema: { type: 'string' } } }
        : { 'application/json': { schema: jsonSchema(r.response, 'output') } },
    });
    const responses: Record<string, unknown> = {
      [String(r.status)]: success(r.summary),
      ...Object.fromEntries(
        Object.entries(r.alsoAnswers ?? {}).map(([status, what]) => [status, success(what)]),
      ),
    };
    // Every route answers errors but the document itself.
    if (r.roles !== 'public' || r.body) {
      for (const [status, { description, headers }] of Object.entries(ERRORS)) {
        responses[status] = {
          description,
          ...(headers ? { headers: headerObjects(headers) } : {}),
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
      }
    }
    paths[r.path] ??= {};
    paths[r.path]![r.method.toLowerCase()] = {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.roles === 'public' ? { security: [] } : { description: `Roles: ${r.roles.join(', ')}` }),
      parameters: [
        ...parameters(r.params, 'path', r.path),
        ...parameters(r.query, 'query', r.path),
        ...(r.headers ?? []).map((h) => ({
          name: h.name,
          in: 'header',
          required: false,
          description: h.description,
          schema: { type: 'string' },
        })),
      ],
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(r.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'sla-desk',
      version: '1',
      description:
        'A support desk built around SLAs. Times are ISO 8601 UTC; errors are {"error": {code, message, details}}.',
    },
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from POST /api-keys' },
      },
      schemas: { Error: jsonSchema(ErrorResponse, 'output') },
    },
    paths,
  };
}
