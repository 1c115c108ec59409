export * from './authentication-error.js';
export * from './static-token-set.js';
export * from './jwt-verifier.js';
export * from './development-token.js';
export * from './api-key-secret.js';
export * from './authenticator.js';
