export * from './common.js';
export * from './errors.js';
export * from './people.js';
export * from './auth.js';
export * from './case-states.js';
export * from './cases.js';
export * from './audit.js';
export * from './jobs.js';
