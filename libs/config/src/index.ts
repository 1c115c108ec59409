export * from './settings.js';
export * from './development-secrets.js';
