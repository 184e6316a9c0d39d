// Lambda: GET /openapi.json (public). The document is generated from the route table when the
// stack is synthesized and shipped beside this code (infra/constructs/ticket-api.ts), so this
// function carries none of the routes; the local runtime serves the same document.
import { readFileSync } from 'node:fs';

let body: string | undefined;

export const handler = async () => {
  body ??= readFileSync(process.env.OPENAPI_DOCUMENT ?? 'openapi.json', 'utf8');
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body,
  };
};
