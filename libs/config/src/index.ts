export * from './settings.js';
export * from './development-secrets.js';
export * from './placeholder-secrets.js';
