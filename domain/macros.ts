// Macros: a named set of field changes with a reply (or internal note) whose placeholders are
// filled for each ticket it is applied to. The placeholders an agent may write are listed
// here; any other `{{...}}` is refused when the macro is saved.
import type { Priority } from './plans';
import type { Category, Status } from './ticket';

export const MAX_MACROS_PER_OWNER = 100;
export const MAX_SHARED_MACROS = 200;
export const MAX_MACRO_REPLY = 10_000;

export interface MacroChanges {
  status?: Status;
  priority?: Priority;
  category?: Category | null;
  /** A staff id, `me` (whoever applies it) or null (unassign). */
  assignee?: string | null;
  addTags?: string[];
  removeTags?: string[];
}

export const PLACEHOLDERS = {
  'requester.firstName': 'The requester’s first name (or their address when the name is unknown)',
  'requester.name': 'The requester’s name',
  'customer.name': 'The customer’s name',
  'ticket.id': 'The ticket’s id',
  'ticket.subject': 'The ticket’s subject',
  'ticket.nextDue': 'When the next clock is due, in words and the plan’s zone',
  'agent.name': 'The name of the agent applying the macro',
  'agent.firstName': 'The first name of the agent applying the macro',
} as const;
export type Placeholder = keyof typeof PLACEHOLDERS;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/gu;

/** The placeholders in `text` that are not known (empty when all are). */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !(name in PLACEHOLDERS));
}

export const firstName = (name: string) => name.trim().split(/\s+/u)[0] ?? '';

/** `text` with each placeholder replaced by its value. */
export function fillPlaceholders(text: string, values: Record<Placeholder, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    name in values ? values[name as Placeholder] : whole,
  );
}
