// Every response the API tests get is checked against the served OpenAPI document: its status
// is listed for the route, its body matches that response's schema (Ajv, JSON Schema 2020-12),
// and the contract's headers it carries are declared there. A mismatch fails the test.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

interface Operation {
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, unknown> }>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

// Headers whose presence the document must declare where they appear.
const CONTRACT_HEADERS = ['etag', 'idempotent-replayed', 'www-authenticate', 'retry-after'];

/** JSON-pointer token, as a URI fragment. */
const token = (text: string) => encodeURIComponent(text.replace(/~/g, '~0').replace(/\//g, '~1'));

export function responseChecker(document: Document) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(document as object, 'openapi.json');
  const routes = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => ({
      path,
      method,
      pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`),
    })),
  );
  return (method: string, url: string, status: number, headers: Record<string, string>, body: unknown) => {
    const pathname = new URL(url, 'http://localhost').pathname;
    const route = routes.find((r) => r.method === method.toLowerCase() && r.pattern.test(pathname));
    if (!route) return; // not a route: the gateway's own 404
    const where = `${method.toUpperCase()} ${route.path} → ${status}`;
    const response = document.paths[route.path]![route.method]!.responses[String(status)];
    if (!response) throw new Error(`${where}: the OpenAPI document lists no ${status} for this route`);
    const mediaType = (headers['content-type'] ?? 'application/json').split(';')[0]!.trim();
    if (!response.content?.[mediaType]) {
      throw new Error(`${where}: the document lists no ${mediaType} body for this response`);
    }
    const pointer = [
      'paths',
      route.path,
      route.method,
      'responses',
      String(status),
      'content',
      mediaType,
      'schema',
    ];
    const validate = ajv.getSchema(`openapi.json#/${pointer.map(token).join('/')}`);
    if (!validate) throw new Error(`${where}: no schema in the document`);
    if (!validate(body)) {
      throw new Error(
        `${where}: the body does not match the document: ${ajv.errorsText(validate.errors, { separator: '; ' })}`,
      );
    }
    const declared = Object.keys(response.headers ?? {}).map((h) => h.toLowerCase());
    for (const name of CONTRACT_HEADERS) {
      if (name in headers && !declared.includes(name)) {
        throw new Error(`${where}: the response carries ${name}, which the document does not declare`);
      }
    }
  };
}
