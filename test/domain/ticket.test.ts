import { describe, expect, it } from 'vitest';
import {
  changeStatus,
  IllegalTransition,
  mentionsKeyword,
  postMessage,
  STATUSES,
  type Status,
  TransitionNotPermitted,
} from '../../domain/ticket';

describe('ticket state machine', () => {
  it.each([
    ['new', 'open'],
    ['open', 'pending-customer'],
    ['pending-customer', 'open'],
    ['open', 'resolved'],
    ['resolved', 'open'],
    ['resolved', 'closed'],
  ] as [Status, Status][])('lets an agent move %s → %s', (from, to) => {
    expect(changeStatus(from, to, 'agent', 5)).toEqual({ type: 'status', at: 5, from, to });
  });

  it.each([
    ['closed', 'open'],
    ['resolved', 'pending-customer'],
    ['open', 'new'],
    ['open', 'open'],
  ] as [Status, Status][])('rejects %s → %s with the allowed moves', (from, to) => {
    const error = (() => {
      try {
        changeStatus(from, to, 'agent', 0);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(IllegalTransition);
    expect((error as IllegalTransition).allowed).not.toContain(to);
  });

  it('lets a customer resolve and reopen, and nothing else', () => {
    expect(changeStatus('open', 'resolved', 'customer', 0).to).toBe('resolved');
    expect(changeStatus('resolved', 'open', 'customer', 0).to).toBe('open');
    expect(() => changeStatus('open', 'pending-customer', 'customer', 0)).toThrow(TransitionNotPermitted);
    expect(() => changeStatus('resolved', 'closed', 'customer', 0)).toThrow(TransitionNotPermitted);
  });

  it('has no way out of closed', () => {
    for (const to of STATUSES)
      expect(() => changeStatus('closed', to, 'admin', 0)).toThrow(/closed is final/);
  });
});

describe('messages', () => {
  it('opens a new ticket on the first public agent reply, not on an internal note', () => {
    expect(postMessage('new', 'agent', false, 1).map((e) => e.type)).toEqual(['message', 'status']);
    expect(postMessage('new', 'agent', true, 1)).toHaveLength(1);
    expect(postMessage('open', 'agent', false, 1)).toHaveLength(1);
  });

  it('resumes a ticket waiting on the customer when the customer writes', () => {
    expect(postMessage('pending-customer', 'customer', false, 1)[1]).toEqual({
      type: 'status',
      at: 1,
      from: 'pending-customer',
      to: 'open',
    });
    expect(postMessage('resolved', 'customer', false, 1)[1]).toMatchObject({ to: 'open' });
    expect(postMessage('open', 'customer', false, 1)).toHaveLength(1);
  });

  it('finds the escalation key-word as a whole word, any case', () => {
    expect(mentionsKeyword('Site down! #ESCALATE please', '#escalate')).toBe(true);
    expect(mentionsKeyword('#escalate', '#escalate')).toBe(true);
    expect(mentionsKeyword('do not #escalated yet', '#escalate')).toBe(false);
    expect(mentionsKeyword('foo#escalate', '#escalate')).toBe(false);
    expect(mentionsKeyword('anything', null)).toBe(false);
  });
});
