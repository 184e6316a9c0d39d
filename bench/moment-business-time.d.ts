// moment-business-time ships no types; the two methods the benchmark compares against.
import 'moment';

declare module 'moment' {
  interface Moment {
    addWorkingTime(amount: number, unit: 'minutes' | 'hours'): Moment;
    workingDiff(other: Moment, unit: 'milliseconds'): number;
  }
}
