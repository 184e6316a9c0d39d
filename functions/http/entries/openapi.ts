// Lambda: GET /openapi.json (public).
import { handlers } from '../routes/index';

export const handler = handlers.getOpenApi!;
