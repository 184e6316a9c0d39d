// The pages' icons, inline SVG drawn with the text's colour: no emoji (Debian's Chromium has no
// emoji font and shows an empty box) and no image requests.
import { html } from 'htm/preact';

const icon = (d: string) =>
  html`<svg class="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false"
    fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d=${d} /></svg>`;

/** A paperclip: a file attached. */
export const Paperclip = () =>
  icon(
    'M21.44 11.05l-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48',
  );
