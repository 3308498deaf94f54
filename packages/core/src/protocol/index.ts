// The wire protocol in one place, at the bottom of the dependency graph: nothing here imports
// from another folder of the library.
export * from './events.js';
export * from './refusal-reasons.js';
export * from './close-codes.js';
export * from './error-codes.js';
export * from './error-payload.js';
export * from './presence-events.js';
export * from './names.js';
