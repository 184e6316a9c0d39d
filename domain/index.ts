// sla-desk's domain: plans, business-hours calendars, SLA clocks, the ticket life cycle.
// Pure TypeScript: no AWS, no I/O, no clock reads (time comes in as an argument).
// holidays.ts is exported on its own path: it pulls in date-holidays (~1 MB) for plan creation.
export * from './calendar';
export * from './clocks';
export * from './duration';
export * from './explain';
export * from './plans';
export * from './presets/index';
export * from './ticket';
