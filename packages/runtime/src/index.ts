export * from './config.js';
export * from './variables.js';
export * from './production.js';
export * from './boot.js';
