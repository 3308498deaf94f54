// The wire protocol of nestjs-realtime, in one place for both ends: the server
// (@nestjs-realtime/core) and the client (@nestjs-realtime/client) bundle it, each exporting it
// under its own public names. Constants and types only: it runs in browsers and in Node.
export * from './events.js';
export * from './presence-events.js';
export * from './refusal-reasons.js';
export * from './close-codes.js';
export * from './error-codes.js';
export * from './error-payload.js';
export * from './presence.js';
