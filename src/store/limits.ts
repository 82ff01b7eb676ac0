/**
 * The most messages one store change inserts (API requests handled together are split at this size; one
 * request is never split). The dispatcher's SUBMIT outcomes are stored between such changes, and a link's
 * window slots wait for them: one change of several bulk requests (~20 ms per 1,000 messages on SQLite)
 * would hold every link that long (bench:http, batch flood: SUBMITs 600/s uncapped, 1,200/s capped).
 */
export const MAX_COMMIT_WEIGHT = 1000;
