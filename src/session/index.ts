export * from './backoff.js';
export * from './client.js';
export * from './counters.js';
export * from './errors.js';
export * from './link.js';
export * from './server.js';
export * from './token-bucket.js';
export * from './window.js';
