// The pages' security headers, one definition for the local runtime and for CloudFront
// (infra/constructs/web.ts). The pages allow nothing but their own origin: no inline script
// or style, no plugins. The portal and console may not be framed (clickjacking); the
// embeddable form may be, by the origins the vendor lists.

export interface PagePolicy {
  /** Where the pages may send requests besides their own origin (the upload bucket on AWS). */
  connect?: string[];
  /** Who may frame the page: `'none'`, or origins (`https://www.vendor.example`), or `*`. */
  frameAncestors: string;
}

export function contentSecurityPolicy({ connect = [], frameAncestors }: PagePolicy): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...connect].join(' ')}`,
    "frame-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
    "object-src 'none'",
  ].join('; ');
}

export const PAGE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** `EMBED_ORIGINS` / the `embedOrigins` context: `*`, or origins separated by spaces. */
export function embedAncestors(origins: string | undefined): string {
  const list = (origins ?? '*').trim().split(/\s+/).filter(Boolean);
  for (const origin of list) {
    if (origin !== '*' && !/^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?$/.test(origin)) {
      throw new Error(`embed origin ${origin} is not * or an origin such as https://www.vendor.example`);
    }
  }
  return list.length ? list.join(' ') : "'none'";
}
