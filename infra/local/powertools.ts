// Loaded before any function module: locally there is no CloudWatch to read metrics lines (EMF)
// from, so they are off unless POWERTOOLS_METRICS_DISABLED=false asks for them. Log lines stay.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
