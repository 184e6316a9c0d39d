// Billing straight from the Atollon seed (003): 15-minute increments and who pays for what.
import { describe, expect, it } from 'vitest';
import {
  bankUsedBefore,
  billMonth,
  CHARGEABILITY,
  Contract,
  isExtraDevice,
  roundUpToIncrement,
  type TimeEntry,
} from '../../domain/billing';
import { monthPeriod } from '../../domain/uptime';

const november = monthPeriod('2026-11', 'UTC');
const at = Date.parse('2026-11-20T10:00:00Z');
const entry = (category: TimeEntry['category'], minutes = 10, ticketId = 'T1', created = at): TimeEntry => ({
  ticketId,
  ticketCreatedAt: created,
  category,
  minutes,
  at,
});

describe('15-minute increments', () => {
  it.each([
    [1, 15],
    [15, 15],
    [16, 30],
    [44, 45],
    [61, 75],
  ])('bills %i minutes as %i', (minutes, billed) => {
    expect(roundUpToIncrement(minutes)).toBe(billed);
  });
});

describe('chargeability by category (seed 003)', () => {
  const none = Contract.parse({ hourlyRate: 120 });
  const full = Contract.parse({
    updateSubscription: true,
    serviceContract: true,
    configurationHandoverAt: '2026-11-01T00:00:00Z',
    freeConfigurationTasksPerMonth: 2,
    hourlyRate: 120,
  });
  it.each([
    // category, contract, chargeable — as the seed's paragraphs say
    ['bug', none, true],
    ['bug', full, false],
    ['configuration-error', none, true],
    ['configuration-error', full, false], // 19 days after the hand-over
    ['advice', none, true],
    ['advice', full, false],
    ['configuration-request', none, true],
    ['configuration-request', full, false], // first free task of the month
    ['feature-request', none, false],
    ['feature-request', full, false],
  ] as const)('%s is chargeable: %s', (category, contract, chargeable) => {
    const bill = billMonth([entry(category)], contract, november);
    expect(bill.lines[0]!.chargeable).toBe(chargeable);
    expect(bill.amount).toBe(chargeable ? 30 : 0); // 10 min → 15 min at 120/h
  });

  it('charges configuration errors more than 30 days after the hand-over', () => {
    const late = Contract.parse({ configurationHandoverAt: '2026-10-01T00:00:00Z', hourlyRate: 100 });
    expect(billMonth([entry('configuration-error', 60)], late, november).amount).toBe(100);
  });

  it('gives the contract’s free configuration tasks to the month’s first tickets', () => {
    const contract = Contract.parse({
      serviceContract: true,
      freeConfigurationTasksPerMonth: 1,
      hourlyRate: 60,
    });
    const bill = billMonth(
      [
        entry('configuration-request', 30, 'LATER', at),
        entry('configuration-request', 30, 'FIRST', at - 86_400_000),
      ],
      contract,
      november,
    );
    expect(Object.fromEntries(bill.lines.map((l) => [l.ticketId, l.chargeable]))).toEqual({
      FIRST: false,
      LATER: true,
    });
    expect(bill).toMatchObject({
      loggedMinutes: 60,
      billedMinutes: 60,
      chargeableMinutes: 30,
      freeMinutes: 30,
      amount: 30,
    });
  });

  it('only bills time logged in the month, and names the seed beside every rule', () => {
    const outside = { ...entry('bug'), at: Date.parse('2026-10-31T23:59:59Z') };
    expect(billMonth([outside], Contract.parse({}), november).lines).toEqual([]);
    for (const rule of Object.values(CHARGEABILITY)) expect(rule.seed).toMatch(/^\d\. /);
  });
});

describe('devices', () => {
  it('lists the devices beyond the plan’s allowance, latest registered first to be extra', () => {
    const devices = ['a', 'b', 'c', 'd'].map((id, i) => ({
      seq: i + 1,
      id,
      name: id,
      registeredAt: `2026-11-0${i + 1}T00:00:00Z`,
    }));
    expect(devices.filter((d) => isExtraDevice(d, 3)).map((d) => d.id)).toEqual(['d']);
    expect(devices.filter((d) => isExtraDevice(d, 0))).toHaveLength(4);
    expect(devices.filter((d) => isExtraDevice(d, null))).toEqual([]);
  });
});

describe('the support-hours bank (Platform.sh: "based on the number of Support hours you want")', () => {
  const timed = (minutes: number, day: string, category: TimeEntry['category'] = 'bug'): TimeEntry => ({
    ...entry(category, minutes),
    at: Date.parse(`${day}T10:00:00Z`),
  });

  it('covers chargeable time first, in 15-minute increments, and charges only what is beyond it', () => {
    const contract = Contract.parse({ hourlyRate: 100, supportHours: { hours: 1, per: 'month' } });
    const bill = billMonth([timed(20, '2026-11-02'), timed(40, '2026-11-03')], contract, november);
    expect(bill.lines.map((l) => [l.billedMinutes, l.bankMinutes, l.amount])).toEqual([
      [30, 30, 0],
      [45, 30, 25], // 15 minutes beyond the hour: a quarter of 100
    ]);
    expect(bill.lines[1]!.reason).toBe(
      'bug: no update subscription; partly covered by the support-hours bank',
    );
    expect(bill.bank).toEqual({
      per: 'month',
      includedMinutes: 60,
      usedBeforeMinutes: 0,
      usedMinutes: 60,
      remainingMinutes: 0,
      beyondMinutes: 15,
    });
    expect(bill.amount).toBe(25);
  });

  it('is not drawn by time that is free anyway', () => {
    const contract = Contract.parse({ updateSubscription: true, supportHours: { hours: 2, per: 'month' } });
    const bill = billMonth(
      [timed(50, '2026-11-02', 'bug'), timed(5, '2026-11-02', 'feature-request')],
      contract,
      november,
    );
    expect(bill.bank).toMatchObject({ usedMinutes: 0, remainingMinutes: 120, beyondMinutes: 0 });
  });

  it('carries a yearly bank over the year’s months, and starts a monthly one afresh', () => {
    const yearly = Contract.parse({ hourlyRate: 60, supportHours: { hours: 1.5, per: 'year' } });
    const entries = [timed(45, '2026-01-15'), timed(30, '2026-06-01'), timed(30, '2026-11-02')];
    const used = bankUsedBefore(entries, yearly, '2026-11', 'UTC');
    expect(used).toBe(75);
    const bill = billMonth(entries, yearly, november, used);
    expect(bill.bank).toMatchObject({
      usedBeforeMinutes: 75,
      usedMinutes: 15,
      remainingMinutes: 0,
      beyondMinutes: 15,
    });
    expect(bill.amount).toBe(15);
    const monthly = Contract.parse({ supportHours: { hours: 1.5, per: 'month' } });
    expect(bankUsedBefore(entries, monthly, '2026-11', 'UTC')).toBe(0);
    // Last year's time does not draw on this year's bank.
    expect(bankUsedBefore([timed(60, '2025-12-20')], yearly, '2026-11', 'UTC')).toBe(0);
  });

  it('takes hours in quarter hours only, within range', () => {
    for (const hours of [0.3, 0, -1, 100_001, Number.NaN])
      expect(Contract.safeParse({ supportHours: { hours, per: 'month' } }).success, String(hours)).toBe(
        false,
      );
    expect(Contract.safeParse({ supportHours: { hours: 0.25, per: 'week' } }).success).toBe(false);
    expect(Contract.parse({}).supportHours).toBeNull();
  });
});
