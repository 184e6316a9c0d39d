// Alerts: the severity table, and what each notification does given what the desk knows.
import { describe, expect, it } from 'vitest';
import { type AlertEvent, type AlertState, alertAction, alertPriority } from '../../domain/alerts';

const event = (over: Partial<AlertEvent> = {}): AlertEvent => ({
  key: 'fp1',
  status: 'firing',
  component: 'player',
  title: 'PlayerDown',
  details: '',
  severity: null,
  startsAt: 1000,
  endsAt: null,
  ...over,
});
const state = (over: Partial<AlertState> = {}): AlertState => ({
  ticketId: 'TKT-1',
  incidentId: 'INC-1',
  startsAt: 1000,
  status: 'firing',
  ...over,
});

describe('alert priority', () => {
  it.each([
    ['critical', 'P1'],
    ['CRITICAL', 'P1'],
    [' page ', 'P1'],
    ['error', 'P2'],
    ['high', 'P2'],
    ['warning', 'P3'],
    ['info', 'P4'],
    ['none', 'P4'],
  ] as const)('maps severity %s to %s', (severity, priority) => {
    expect(alertPriority({ severity, title: 'x' }, 'P3')).toBe(priority);
  });

  it('reads a priority word in the title without severity, else takes the plan default', () => {
    expect(alertPriority({ severity: null, title: 'prod-api-5xx-critical' }, 'P3')).toBe('P1');
    expect(alertPriority({ severity: null, title: 'Disk P2 space' }, 'P4')).toBe('P2');
    expect(alertPriority({ severity: 'bogus', title: 'CPUHigh' }, 'P3')).toBe('P2'); // "high"
    expect(alertPriority({ severity: 'bogus', title: 'Latency' }, 'P4')).toBe('P4');
  });
});

describe('alert action', () => {
  it('opens for a new alert, or when its ticket is closed', () => {
    expect(alertAction(null, event(), false).kind).toBe('open');
    expect(alertAction(state(), event({ startsAt: 5000 }), false).kind).toBe('open');
  });

  it('does nothing for the same firing notified again or a late copy', () => {
    expect(alertAction(state(), event(), true).kind).toBe('nothing');
    expect(alertAction(state({ status: 'resolved', incidentId: null }), event(), true).kind).toBe('nothing');
    expect(alertAction(state({ startsAt: 2000 }), event({ startsAt: 1000 }), true).kind).toBe('nothing');
  });

  it('adds a new firing to the open ticket', () => {
    expect(
      alertAction(state({ status: 'resolved', incidentId: null }), event({ startsAt: 9000 }), true).kind,
    ).toBe('refire');
    expect(alertAction(state(), event({ startsAt: 9000 }), true).kind).toBe('refire');
  });

  it('resolves only a firing it knows, once', () => {
    const resolved = event({ status: 'resolved', endsAt: 3000 });
    expect(alertAction(state(), resolved, true).kind).toBe('resolve');
    expect(alertAction(state({ status: 'resolved', incidentId: null }), resolved, true).kind).toBe('nothing');
    expect(alertAction(null, resolved, true).kind).toBe('nothing');
  });
});
