export * from './document-store.port.js';
export * from './documents.js';
export * from './projection.js';
export * from './projections/index.js';
