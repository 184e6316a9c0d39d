// zod's functional build (zod/mini), with its English messages: a schema is built from
// functions (`z.optional(z.string().check(z.maxLength(64)))`), so a Lambda bundle carries only
// the parts of zod its schemas use, about half of the method-chain build. Every schema of the
// desk imports zod from here, so the messages are English wherever a schema is parsed.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export * from 'zod/mini';
