// Chargeable time, by Atollon's request categories (seed 003). Every time entry is billed in
// 15-minute increments; whether it is charged depends on the ticket's category and the
// customer's contract. The table below is the seed, rule by rule. A contract may also include
// a bank of support hours per month or year (Platform.sh: "based on the number of Support hours
// you want"): chargeable time draws on it first, in the same 15-minute increments, and only time
// beyond it is charged at the tariff.

import type { Instant } from './calendar';
import { decimalNumber, wholeNumber } from './numbers';
import type { Category } from './ticket';
import { monthPeriod, type Period } from './uptime';
import * as z from './zod';

/** "Timesheets are charged for every 15 minutes" (seed 003, Invoicing of services). */
export const BILLING_INCREMENT_MINUTES = 15;
/** "not longer than 30 days from time client taken over configuration" (seed 003, 2.). */
export const ACCEPTANCE_WINDOW_DAYS = 30;

/** Support hours a contract includes, per calendar month or year, in quarter hours. */
export const SupportHours = z.object({
  hours: decimalNumber(0.25, 100_000, 2).check(
    z.refine((h) => Number.isInteger(h * 4), 'expected hours in quarter hours (0.25, 0.5, ...)'),
  ),
  per: z.enum(['month', 'year']),
});
export type SupportHours = z.infer<typeof SupportHours>;

export const Contract = z.object({
  /** "clients who has subscription for updates": bug fixes are free. */
  updateSubscription: z._default(z.boolean(), false),
  /** "service contract subscribers": advice is free, and configuration tasks have an allowance. */
  serviceContract: z._default(z.boolean(), false),
  /** When the customer took over its configuration: configuration errors are free for 30 days. */
  configurationHandoverAt: z._default(z.nullable(z.iso.datetime({ offset: true })), null),
  /** "the Client has right to a number of tasks in the service contract for free", per month. */
  freeConfigurationTasksPerMonth: z._default(wholeNumber(0, 1000), 0),
  /** The tariff: price of one hour of chargeable time, 0-1 000 000 with up to 4 decimals. */
  hourlyRate: z._default(decimalNumber(0, 1_000_000, 4), 0),
  currency: z._default(z.string().check(z.regex(/^[A-Z]{3}$/)), 'EUR'),
  /** A bank of support hours chargeable time draws on before the tariff applies; null: none. */
  supportHours: z._default(z.nullable(SupportHours), null),
});
export type Contract = z.infer<typeof Contract>;

export interface Charge {
  chargeable: boolean;
  reason: string;
}

interface Situation {
  contract: Contract;
  /** When the time was logged. */
  at: Instant;
  /** For configuration requests: the ticket's place among this month's configuration tasks (1-based). */
  configurationTask: number;
}

/** The seed's categories and who pays for them. */
export const CHARGEABILITY: Record<Category, { seed: string; charge(s: Situation): Charge }> = {
  bug: {
    seed: '1. Bugs in application: repaired by update for clients who have a subscription for updates',
    charge: ({ contract }) =>
      contract.updateSubscription
        ? { chargeable: false, reason: 'bug: covered by the update subscription' }
        : { chargeable: true, reason: 'bug: no update subscription' },
  },
  'configuration-error': {
    seed: '2. Errors in system configuration: free until 30 days after the client took over the configuration',
    charge: ({ contract, at }) => {
      const handover = contract.configurationHandoverAt ? Date.parse(contract.configurationHandoverAt) : null;
      if (handover !== null && at <= handover + ACCEPTANCE_WINDOW_DAYS * 86_400_000) {
        return { chargeable: false, reason: 'configuration error: within 30 days of the hand-over' };
      }
      return {
        chargeable: true,
        reason:
          handover === null
            ? 'configuration error: no hand-over on record'
            : 'configuration error: more than 30 days after the hand-over',
      };
    },
  },
  advice: {
    seed: '3. Request for advice: free for service contract subscribers, otherwise by tariff',
    charge: ({ contract }) =>
      contract.serviceContract
        ? { chargeable: false, reason: 'advice: service contract' }
        : { chargeable: true, reason: 'advice: no service contract' },
  },
  'configuration-request': {
    seed: '4. Request for configuration: fully chargeable, but a service contract may include free tasks',
    charge: ({ contract, configurationTask }) =>
      contract.serviceContract && configurationTask <= contract.freeConfigurationTasksPerMonth
        ? {
            chargeable: false,
            reason: `configuration request: free task ${configurationTask} of ${contract.freeConfigurationTasksPerMonth} this month`,
          }
        : { chargeable: true, reason: 'configuration request: chargeable' },
  },
  'feature-request': {
    seed: '5. Incentive to develop new features: free as part of the update subscription',
    charge: () => ({ chargeable: false, reason: 'feature request: free' }),
  },
};

export const roundUpToIncrement = (minutes: number): number =>
  Math.ceil(minutes / BILLING_INCREMENT_MINUTES) * BILLING_INCREMENT_MINUTES;

export interface TimeEntry {
  ticketId: string;
  ticketCreatedAt: Instant;
  category: Category | null;
  minutes: number;
  at: Instant;
}

export interface BillLine extends TimeEntry, Charge {
  billedMinutes: number;
  /** Of the billed minutes of chargeable time, those the support-hours bank covered. */
  bankMinutes: number;
  amount: number;
}

/** The support-hours bank in a month: what the period includes, what was drawn, what is left. */
export interface BankUse {
  per: 'month' | 'year';
  includedMinutes: number;
  /** Drawn earlier in the period (the year's months before this one). */
  usedBeforeMinutes: number;
  usedMinutes: number;
  remainingMinutes: number;
  /** Chargeable time this month beyond the bank: charged at the tariff. */
  beyondMinutes: number;
}

export interface Bill {
  lines: BillLine[];
  loggedMinutes: number;
  billedMinutes: number;
  chargeableMinutes: number;
  freeMinutes: number;
  amount: number;
  currency: string;
  bank: BankUse | null;
}

/**
 * The month's time entries, each rounded up to 15 minutes and charged by the table above;
 * chargeable time draws on the support-hours bank first (`bankUsedBefore` already drawn in the
 * period), in time order, and only what is beyond it is charged.
 */
export function billMonth(
  entries: readonly TimeEntry[],
  contract: Contract,
  period: Period,
  bankUsedBefore = 0,
): Bill {
  const banked = contract.supportHours;
  const included = banked ? Math.round(banked.hours * 60) : 0;
  let left = Math.max(0, included - bankUsedBefore);
  const inMonth = entries
    .filter((e) => e.at >= period.start && e.at < period.end)
    .sort((a, b) => a.at - b.at);
  // Configuration tasks are counted per ticket, in the order the tickets were opened.
  const tasks = [
    ...new Map(
      inMonth
        .filter((e) => e.category === 'configuration-request')
        .map((e) => [e.ticketId, e.ticketCreatedAt]),
    ),
  ]
    .sort((a, b) => a[1] - b[1])
    .map(([id]) => id);
  const lines = inMonth.map((e): BillLine => {
    const charge: Charge = e.category
      ? CHARGEABILITY[e.category].charge({
          contract,
          at: e.at,
          configurationTask: tasks.indexOf(e.ticketId) + 1,
        })
      : { chargeable: false, reason: 'not categorised yet: not charged until it is' };
    const billedMinutes = roundUpToIncrement(e.minutes);
    const bankMinutes = charge.chargeable ? Math.min(billedMinutes, left) : 0;
    left -= bankMinutes;
    const charged = charge.chargeable ? billedMinutes - bankMinutes : 0;
    const amount = Math.round((charged / 60) * contract.hourlyRate * 100) / 100;
    const reason = bankMinutes
      ? `${charge.reason}; ${bankMinutes === billedMinutes ? '' : 'partly '}covered by the support-hours bank`
      : charge.reason;
    return { ...e, ...charge, reason, billedMinutes, bankMinutes, amount };
  });
  const sum = (f: (l: BillLine) => number) => lines.reduce((s, l) => s + f(l), 0);
  return {
    lines,
    loggedMinutes: sum((l) => l.minutes),
    billedMinutes: sum((l) => l.billedMinutes),
    chargeableMinutes: sum((l) => (l.chargeable ? l.billedMinutes : 0)),
    freeMinutes: sum((l) => (l.chargeable ? 0 : l.billedMinutes)),
    amount: Math.round(sum((l) => l.amount) * 100) / 100,
    currency: contract.currency,
    bank: banked
      ? {
          per: banked.per,
          includedMinutes: included,
          usedBeforeMinutes: Math.min(included, bankUsedBefore),
          usedMinutes: sum((l) => l.bankMinutes),
          remainingMinutes: left,
          beyondMinutes: sum((l) => (l.chargeable ? l.billedMinutes - l.bankMinutes : 0)),
        }
      : null,
  };
}

/** The shares of a bank's hours a warning goes out at (once each per period). */
export const BANK_WARNINGS = [80, 100] as const;
export type BankWarning = (typeof BANK_WARNINGS)[number];

/** The warnings a bank's use has reached: 80 at four fifths of its hours used, 100 when all are. */
export function bankWarnings(bank: BankUse): BankWarning[] {
  const used = bank.usedBeforeMinutes + bank.usedMinutes;
  if (bank.includedMinutes <= 0) return [];
  return BANK_WARNINGS.filter((share) => used * 100 >= bank.includedMinutes * share);
}

/**
 * What a yearly bank had drawn before `month` (yyyy-mm, in `zone`): the year's months before it,
 * each billed in turn on what the ones before drew. A monthly bank starts afresh: 0.
 */
export function bankUsedBefore(
  entries: readonly TimeEntry[],
  contract: Contract,
  month: string,
  zone: string,
): number {
  if (contract.supportHours?.per !== 'year') return 0;
  const [year, m] = month.split('-').map(Number) as [number, number];
  let used = 0;
  for (let earlier = 1; earlier < m; earlier++) {
    const period = monthPeriod(`${year}-${String(earlier).padStart(2, '0')}`, zone);
    used += billMonth(entries, contract, period, used).bank!.usedMinutes;
  }
  return used;
}

export interface Device {
  id: string;
  /** 1 for a customer's first device, 2 for the next: the order of registration. */
  seq: number;
  name: string;
  registeredAt: string;
}

/** Devices beyond the plan's allowance: those registered after the first `included`. */
export function isExtraDevice(device: Pick<Device, 'seq'>, included: number | null): boolean {
  return included !== null && device.seq > included;
}
