// Text that leaves the desk: subjects cut by code points, CSV cells that cannot become formulas.
import { describe, expect, it } from 'vitest';
import { foldClocks } from '../../domain/clocks';
import { cut, nameFromAddress } from '../../functions/app/common';
import { acknowledgement, SUBJECT_MAX } from '../../functions/app/mail';
import { csvCell } from '../../functions/app/report-mail';
import type { TicketRecord } from '../../functions/ports';
import { preset } from '../support';

describe('cut', () => {
  it('never ends in half an emoji', () => {
    const text = `a${'😀'.repeat(300)}`;
    const short = cut(text, 250);
    expect([...short]).toHaveLength(250);
    expect(short).not.toMatch(/[\uD800-\uDBFF]$/);
    expect(cut('short', 250)).toBe('short');
  });

  it('cuts mail subjects by code points, never into U+FFFD', () => {
    const plan = preset('ombori-production');
    const ticket = {
      id: 'TKT-0123456789',
      subject: '😀'.repeat(300),
      priority: 'P2',
      requesterEmail: 'ann@acme.test',
    } as TicketRecord;
    const now = Date.parse('2026-11-23T08:00:00Z');
    const sla = foldClocks(plan, [{ type: 'created', at: now, priority: 'P2' }], now);
    const { subject } = acknowledgement(ticket, plan, sla);
    expect([...subject]).toHaveLength(SUBJECT_MAX);
    expect(Buffer.from(subject, 'utf8').toString('utf8')).not.toContain('\uFFFD');
    expect(subject.endsWith('😀')).toBe(true);
  });
});

describe('csvCell', () => {
  it.each([
    ['=1+1'],
    ['+1'],
    ['-1+cmd'],
    ['@SUM(A1)'],
    ['\u200B=1+1'],
    ['\u200E\u200F=1+1'],
    ['\uFEFF=HYPERLINK("x")'],
    ['\t=1+1'],
    ['\r\n=1+1'],
    ['  =1+1'],
    ['\u00A0=1+1'],
    ['＝1+1'],
  ])('neutralises a formula behind invisible characters: %j', (text) => {
    expect(csvCell(text)).toBe(`"'${text.replace(/"/g, '""')}"`);
  });

  it('leaves ordinary text alone and doubles quotes', () => {
    expect(csvCell('Kiosk "A" offline')).toBe('"Kiosk ""A"" offline"');
    expect(csvCell('a=b')).toBe('"a=b"');
    expect(csvCell(null)).toBe('""');
  });
});

it('makes a display name from an address', () => {
  expect(nameFromAddress('ann.lee@acme.test')).toBe('Ann Lee');
  expect(nameFromAddress('bob_smith+support@x.test')).toBe('Bob Smith Support');
});
