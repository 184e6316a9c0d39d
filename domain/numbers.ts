// Numbers the desk accepts: finite, inside a documented range, with a bounded number of
// decimal places, never -0. DynamoDB stores magnitudes from 1e-130 to 9.99e125 with 38
// significant digits; a range and a decimal budget keep every accepted value storable and
// every sum the reports make finite and exact to the cent.
import * as z from './zod';

const notNegativeZero = (n: number) => !Object.is(n, -0);
const NEGATIVE_ZERO = 'expected 0, not -0';

/** A whole number in [min, max]. */
export function wholeNumber(min: number, max: number) {
  return z.number().check(z.int(), z.gte(min), z.lte(max), z.refine(notNegativeZero, NEGATIVE_ZERO));
}

/** A number in [min, max] with at most `decimals` decimal places (99.999, 12.50). */
export function decimalNumber(min: number, max: number, decimals: number) {
  return z.number().check(
    z.gte(min),
    z.lte(max),
    z.refine(notNegativeZero, NEGATIVE_ZERO),
    z.refine((n) => Number(n.toFixed(decimals)) === n, `expected at most ${decimals} decimal places`),
  );
}
