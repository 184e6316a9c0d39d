// The OpenAPI 3 document, generated from the route table and its zod schemas.
import * as z from 'zod';
import type { RouteSpec } from './middleware';
import { ErrorResponse } from './schemas';

const ERRORS: Record<string, string> = {
  '400': 'Invalid input: the failing fields are in error.details',
  '401': 'No or unknown API key',
  '403': 'The key’s role may not do this',
  '404': 'No such resource (or not yours)',
  '409': 'Version conflict or duplicate',
  '413': 'Body over 1 MB',
  '422': 'Valid input the plan or the ticket’s state does not allow',
};

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

export function openApiDocument(routes: readonly RouteSpec<never, never, never>[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const responses: Record<string, unknown> = {
      [String(r.status)]: {
        description: r.summary,
        content: { 'application/json': { schema: jsonSchema(r.response, 'output') } },
      },
    };
    if (r.roles !== 'public') {
      for (const [status, description] of Object.entries(ERRORS)) {
        responses[status] = {
          description,
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
        ...parameters(r.params, 'path'),
        ...parameters(r.query, 'query'),
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
    openapi: '3.0.3',
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
