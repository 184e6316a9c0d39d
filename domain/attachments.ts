// How much a ticket may carry in files (the portal checks before uploading, the API after).

/** The largest file one attachment may be. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Attachments one new ticket or message may name. */
export const MAX_ATTACHMENTS = 10;
