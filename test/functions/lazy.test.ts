// wiring.ts `lazy`: an adapter (and the SDK client behind it) loaded on its port's first call.
import { describe, expect, it } from 'vitest';
import type { Mailer, OutgoingMail } from '../../functions/ports';
import { lazy } from '../../functions/wiring';

const mail = { to: ['a@example.test'], subject: 's', text: 't', html: '<p>t</p>', messageId: '<m@x>' };

describe('a lazily loaded port', () => {
  it('loads on the first call only, once for callers at the same time, and passes the arguments', async () => {
    let loads = 0;
    const sent: OutgoingMail[] = [];
    const mailer = lazy<Mailer>(async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 5));
      return { send: async (m) => void sent.push(m) };
    });
    expect(loads).toBe(0);
    await Promise.all([mailer.send(mail), mailer.send({ ...mail, subject: 'second' })]);
    await mailer.send({ ...mail, subject: 'third' });
    expect(loads).toBe(1);
    expect(sent.map((m) => m.subject)).toEqual(['s', 'second', 'third']);
  });

  it('tries the load again after it failed, and passes the adapter’s own failures on', async () => {
    let loads = 0;
    const mailer = lazy<Mailer>(async () => {
      if (++loads === 1) throw new Error('cannot load the SDK');
      return {
        send: async () => {
          throw new Error('SES says no');
        },
      };
    });
    await expect(mailer.send(mail)).rejects.toThrow('cannot load the SDK');
    await expect(mailer.send(mail)).rejects.toThrow('SES says no');
    await expect(mailer.send(mail)).rejects.toThrow('SES says no');
    expect(loads).toBe(2);
  });

  it('is not a promise: awaiting the port itself loads nothing', async () => {
    let loads = 0;
    const mailer = lazy<Mailer>(async () => {
      loads++;
      return { send: async () => {} };
    });
    expect(await mailer).toBe(mailer);
    expect(loads).toBe(0);
  });
});
