// Support-hours bank warnings: when logged time brings a customer's bank to 80 % or 100 % used
// in its period (month or year), its contacts and the plan's escalation contacts get a mail,
// once each per period. Run as a job after a time entry is stored, off the request's path; the
// use is counted exactly as the monthly report bills it (domain/billing.ts).

import {
  type BankUse,
  type BankWarning,
  bankUsedBefore,
  bankWarnings,
  billMonth,
  Contract,
  type TimeEntry,
} from '../../domain/billing';
import { monthPeriod } from '../../domain/uptime';
import { localMonth } from '../../domain/zone';
import { config } from '../config';
import { count } from '../metrics';
import type { Deps } from '../ports';
import { billingTickets } from './billing-reads';
import { iso } from './common';
import { renderMail } from './mail';

const hours = (minutes: number) => `${Math.round((minutes / 60) * 100) / 100} h`;

/** Mails the warnings the bank reached as of `at`, each once per period; the ones sent. */
export async function checkBank(deps: Deps, customerId: string, at: number): Promise<BankWarning[]> {
  const customer = await deps.directory.getCustomer(customerId);
  const contract = customer ? Contract.parse(customer.contract) : null;
  if (!customer || !contract?.supportHours) return [];
  const plan = await deps.directory.getPlan(customer.planId);
  if (!plan) return [];
  const zone = plan.calendar.timeZone;
  const month = localMonth(zone, at);
  const period = monthPeriod(month, zone);
  const entries: TimeEntry[] = [];
  for await (const { time } of billingTickets(deps, customerId, period)) entries.push(...time);
  const bank = billMonth(entries, contract, period, bankUsedBefore(entries, contract, month, zone)).bank!;
  const periodKey = bank.per === 'year' ? month.slice(0, 4) : month;
  const reached = bankWarnings(bank);
  // Reaching 100 % at once says so alone; 80 % is then marked as said too.
  const top = reached.at(-1);
  if (top === undefined) return [];
  const keys = reached.map((share) => `bank#${customerId}#${periodKey}#${share}`);
  const claimed = await Promise.all(keys.map((k) => deps.integrations.claimNotice(k, iso(deps.clock.now()))));
  if (!claimed[claimed.length - 1]) return [];
  try {
    await deps.mailer.send(
      warningMail(
        customer.name,
        customer.contacts.map((c) => c.email),
        plan.escalation.contacts,
        bank,
        top,
        periodKey,
      ),
    );
    count('MailSent', plan.id);
  } catch (error) {
    // Not sent: give the claims back so that the job's retry sends it.
    await Promise.all(keys.map((k, i) => (claimed[i] ? deps.integrations.releaseNotice(k) : null)));
    throw error;
  }
  return [top];
}

function warningMail(
  name: string,
  contacts: string[],
  escalation: string[],
  bank: BankUse,
  share: BankWarning,
  periodKey: string,
) {
  const used = bank.usedBeforeMinutes + bank.usedMinutes;
  const paragraphs = [
    share === 100
      ? `${name} has used all ${hours(bank.includedMinutes)} of support included for ${periodKey}.`
      : `${name} has used ${hours(used)} of the ${hours(bank.includedMinutes)} of support included for ${periodKey} (80 % or more).`,
    share === 100
      ? 'Support time from now on until the period ends is charged at the tariff of your contract.'
      : `${hours(bank.remainingMinutes)} remain; time beyond them is charged at the tariff of your contract.`,
  ];
  return {
    to: [...new Set([...contacts, ...escalation].map((a) => a.toLowerCase()))],
    subject: `Support hours ${share} % used (${periodKey}): ${name}`.replace(/[\r\n]+/g, ' ').slice(0, 250),
    ...renderMail({ paragraphs }),
    messageId: `<bank.${periodKey}.${share}.${Date.now().toString(36)}@${config().MAIL_DOMAIN}>`,
  };
}
