// The form a vendor embeds in its own website (an iframe of /embed.html). A visitor has no
// session there (a third-party frame gets no SameSite cookie), so the request travels in a
// one-time link to the address: opening it proves the address, signs the contact in to the
// portal and files the request as them. The answer is the same for unknown addresses.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { PRIORITIES, type Priority } from '../../domain/plans';
import { CATEGORIES } from '../../domain/ticket';
import { api } from '../api';
import { useForm } from '../load';

const URGENCY: Record<Priority, string> = {
  P1: 'P1: critical, the service is down',
  P2: 'P2: major, a main function fails',
  P3: 'P3: minor, a workaround exists',
  P4: 'P4: cosmetic, or a question',
};

export function EmbeddedForm() {
  const { form, set, error, busy, submit } = useForm({
    email: '',
    subject: '',
    description: '',
    priority: 'P3',
    category: '',
  });
  const [sent, setSent] = useState<string | null>(null);
  const send = async () => {
    const { email, category, ...draft } = form;
    const answer = await api<{ message: string }>('POST', '/auth/links', {
      email,
      draft: { ...draft, ...(category ? { category } : {}) },
    });
    setSent(answer.message);
  };
  const invalid = (field: string) =>
    error?.details.some((d) => d.field === field || d.field === `draft.${field}`) ? 'true' : 'false';

  if (sent) {
    return html`<h1>Check your mail</h1>
      <p class="notice" role="status">${sent}</p>
      <p>Open the link in that mail to send your request. You can add files on its page.</p>`;
  }
  return html`
    <h1>Ask for support</h1>
    ${error ? html`<p class="error" role="alert">${error.message}</p>` : null}
    <form onSubmit=${submit(send)}>
      <label for="email">Your e-mail address</label>
      <input id="email" type="email" autocomplete="email" required maxlength="254" value=${form.email}
        onInput=${set('email')} aria-invalid=${invalid('email')} />
      <label for="subject">Subject</label>
      <input id="subject" required maxlength="200" value=${form.subject} onInput=${set('subject')}
        aria-invalid=${invalid('subject')} />
      <label for="description">What happened?</label>
      <textarea id="description" required maxlength="64000" value=${form.description}
        onInput=${set('description')} aria-invalid=${invalid('description')}></textarea>
      <label for="priority">Priority</label>
      <select id="priority" value=${form.priority} onChange=${set('priority')}>
        ${PRIORITIES.map((p) => html`<option value=${p}>${URGENCY[p]}</option>`)}
      </select>
      <label for="category">Category (optional)</label>
      <select id="category" value=${form.category} onChange=${set('category')}>
        <option value="">Not sure</option>
        ${CATEGORIES.map((c) => html`<option value=${c}>${c.replace(/-/g, ' ')}</option>`)}
      </select>
      <p class="hint">We mail you a link to confirm the request: it is sent when you open it.</p>
      <button type="submit" disabled=${busy}>Send</button>
    </form>`;
}
