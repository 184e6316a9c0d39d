// The small schemas every route group shares (ids, addresses, instants, the enums), on their
// own so that a group that needs only these does not build every ticket schema at cold start.

import { CHANNELS, PRIORITIES } from '../../domain/plans';
import { MAX_TAGS_PER_TICKET, normalTag } from '../../domain/tags';
import { CATEGORIES, STATUSES } from '../../domain/ticket';
import * as z from '../../domain/zod';

export const Id = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(/^[A-Za-z0-9_-]+$/, 'expected an id of letters, digits, - and _'),
  );
export const Email = z.email().check(z.maxLength(254));
// The years the calendars compute in (domain/calendar.ts); nothing the desk records lies outside.
const FIRST_INSTANT = Date.parse('1970-01-01T00:00:00Z');
const LAST_INSTANT = Date.parse('2200-12-31T23:59:59.999Z');
/** Whether an instant (ms) is one the desk can record: 1970 to 2200. */
export const recordable = (at: number): boolean => at >= FIRST_INSTANT && at <= LAST_INSTANT;
export const Instant = z.iso.datetime({ offset: true }).check(
  z.refine((t) => recordable(Date.parse(t)), 'expected a date-time between 1970 and 2200'),
  z.describe('ISO 8601 date-time between 1970 and 2200; returned in UTC'),
);
export const Priority = z.enum(PRIORITIES);
export const Status = z.enum(STATUSES);
export const Category = z.enum(CATEGORIES);
export const Channel = z.enum(CHANNELS);
export const Role = z.enum(['admin', 'agent', 'customer']);

export const IdParams = z.object({ id: Id });

export const Tag = z
  .pipe(
    z.string().check(
      z.maxLength(200),
      z.refine((s) => normalTag(s) !== null, {
        message: 'a tag is 1-40 letters, digits, "-", "_" or "." (spaces become "-")',
      }),
    ),
    z.transform((s) => normalTag(s)!),
  )
  .check(z.describe('Lower case; spaces become hyphens'));
export const Tags = z.array(Tag).check(z.maxLength(MAX_TAGS_PER_TICKET));
