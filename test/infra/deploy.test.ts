// A first deployment into a fresh account (issue 32): what synth refuses or warns of before
// anything is deployed, and what the template has so that nothing is lost silently.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';

const noBundling = (context: Record<string, string> = {}) =>
  new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });

/** What synth's validation would report, without the whole synth (cdk-nag and all). */
const validationErrors = (root: IConstruct) => root.node.findAll().flatMap((c) => c.node.validate());

type Resource = { Properties: Record<string, unknown> };
const variablesOf = (f: Resource) =>
  (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

describe('the sender at synth', () => {
  it('takes a display name, gives it to every function as is and lets SES check its address', () => {
    const { stack } = buildApp(
      noBundling({ domain: 'vendor.example', senderEmail: 'Support Desk <support@vendor.example>' }),
      { region: 'eu-west-1', account: '123456789012' },
    );
    expect(validationErrors(stack)).toEqual([]);
    const template = Template.fromStack(stack);
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as Resource[];
    const senders = new Set(functions.map((f) => variablesOf(f).SENDER_EMAIL).filter(Boolean));
    expect([...senders]).toEqual(['Support Desk <support@vendor.example>']);
    const conditions = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(conditions).toContain('"ses:FromAddress":"support@vendor.example"');
    expect(conditions).not.toContain('"ses:FromAddress":"Support Desk');
  });

  it('refuses a sender the From header could not carry, saying which setting and why', () => {
    for (const [sender, why] of [
      ['Support Desk', /senderEmail: "Support Desk" is neither an address nor Name <address>/],
      ['Support\r\nBcc: x@evil.example <support@vendor.example>', /senderEmail: .*control character/],
      ['Support <support@vendor>', /senderEmail: <support@vendor> is not an e-mail address/],
    ] as const) {
      expect(() => buildApp(noBundling({ domain: 'vendor.example', senderEmail: sender })), sender).toThrow(
        why,
      );
    }
  });

  it('refuses at synth any environment a function would refuse at its cold start', () => {
    const { stack } = buildApp(noBundling({ domain: 'vendor.example', escalationEmail: 'escalations' }), {
      region: 'eu-west-1',
      account: '123456789012',
    });
    const errors = validationErrors(stack);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e).toMatch(/invalid environment: ESCALATION_EMAIL: Invalid email address/);
  });
});
