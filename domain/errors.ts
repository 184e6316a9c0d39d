// Errors a use case can end in, typed so that the HTTP layer maps each to one status in one
// place (functions/http/middleware.ts). Messages are written for the API caller.

/** The thing does not exist, or the caller may not know it exists (another tenant's ticket). */
export class NotFound extends Error {
  constructor(what: string, id: string) {
    super(`${what} ${id} was not found`);
    this.name = 'NotFound';
  }
}

/** Someone else changed the record since it was read; re-read and try again. */
export class VersionConflict extends Error {
  constructor(what: string, id: string, expected?: number, actual?: number) {
    const versions =
      expected === undefined
        ? ''
        : ` (expected version ${expected}${actual === undefined ? '' : `, it is ${actual}`})`;
    super(`${what} ${id} was changed by someone else${versions}; read it again and retry`);
    this.name = 'VersionConflict';
  }
}

/** The record exists already (a plan id, a contact's e-mail address). */
export class Duplicate extends Error {
  readonly field: string;
  constructor(what: string, field: string, value: string) {
    super(`a ${what} with ${field} ${value} exists already`);
    this.name = 'Duplicate';
    this.field = field;
  }
}

/** The caller is known but the role does not allow this. */
export class Forbidden extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Forbidden';
  }
}

/** Well-formed input that the plan or the ticket's state does not allow (422). */
export class RuleViolation extends Error {
  readonly code: string;
  readonly field: string | undefined;
  constructor(code: string, message: string, field?: string) {
    super(message);
    this.name = 'RuleViolation';
    this.code = code;
    this.field = field;
  }
}

/** A date-holidays region that does not exist (plan creation). */
export class UnknownHolidayRegion extends Error {
  constructor(region: string) {
    super(
      `unknown holiday region ${region}: expected a date-holidays country such as SE, optionally with a state`,
    );
    this.name = 'UnknownHolidayRegion';
  }
}

/**
 * Region holidays asked for years the prepared tables do not hold: they are made at build time
 * (npm run build:holidays) and must be made again, for later years, and deployed (503).
 */
export class HolidayDataEnds extends Error {
  constructor(region: string, held: { from: number; to: number }, wanted: { from: number; to: number }) {
    super(
      `the public holidays of ${region} are known for ${held.from}-${held.to}, and ${wanted.from}-${wanted.to} is needed: prepare them again (npm run build:holidays), deploy, and store the plan again`,
    );
    this.name = 'HolidayDataEnds';
  }
}

/** An ICS file that cannot be read (plan creation). */
export class InvalidIcs extends Error {
  constructor(reason: string) {
    super(`the ICS file could not be read: ${reason}`);
    this.name = 'InvalidIcs';
  }
}

/** Too many sign-in links asked for; retry after the given seconds. */
export class TooManyAttempts extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many attempts; retry in ${retryAfterSeconds} s`);
    this.name = 'TooManyAttempts';
  }
}
