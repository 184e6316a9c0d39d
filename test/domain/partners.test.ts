// Onsite partners from the seed's words: "No onsite support, possibility to have tickets routed
// to onsite support partner" (Pilot, Production, Enterprise) and "No onsite support" (Free).
import { describe, expect, it } from 'vitest';
import { foldClocks } from '../../domain/clocks';
import { checkRouting, REGION, servesRegion } from '../../domain/partners';
import { PRESETS, type PresetId } from '../../domain/presets';
import { partnerMessage } from '../../domain/ticket';

const preset = (id: PresetId) => PRESETS.get(id)!;

describe('onsite partners', () => {
  it.each([
    [['SE'], 'SE', true],
    [['SE'], 'SE-AB', true],
    [['SE-AB'], 'SE', true],
    [['SE-AB'], 'SE-O', false],
    [['SE'], 'SEX', false],
    [['NO', 'FI'], 'SE', false],
    [[], 'SE', false],
  ] as const)('a partner in %j serves %s: %s', (regions, region, serves) => {
    expect(servesRegion(regions, region)).toBe(serves);
  });

  it('takes ISO 3166 countries and subdivisions only', () => {
    expect(['SE', 'SE-AB', 'US-CA', 'GB-LND', 'NO-03'].every((r) => REGION.test(r))).toBe(true);
    expect(['se', 'SWE', 'SE-', 'SE-ABCD', 'S', 'SE AB'].some((r) => REGION.test(r))).toBe(false);
  });

  it.each([
    ['ombori-free', 'new', 'no-onsite-partners'],
    ['cloudomation-premium', 'open', 'no-onsite-partners'],
    ['ombori-pilot', 'resolved', 'ticket-not-open'],
    ['ombori-enterprise', 'closed', 'ticket-not-open'],
    ['ombori-pilot', 'new', null],
    ['ombori-production', 'pending-customer', null],
  ] as const)('routing on %s while %s: %s', (planId, status, refused) => {
    const attempt = () => checkRouting(preset(planId), status, 'TKT-0000000000');
    if (refused) expect(attempt).toThrow(expect.objectContaining({ code: refused }));
    else expect(attempt).not.toThrow();
  });

  it('a partner’s message is no response: the customer’s clocks run on', () => {
    const plan = preset('ombori-production');
    const at = Date.parse('2026-11-23T08:00:00Z');
    const sla = foldClocks(
      plan,
      [{ type: 'created', at, priority: 'P2' }, partnerMessage(at + 60_000)],
      at + 120_000,
    );
    expect(sla.respondedAt).toBeNull();
    expect(sla.response.state).toBe('running');
    expect(sla.status).toBe('new');
  });
});
