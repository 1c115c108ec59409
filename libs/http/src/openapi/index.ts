export * from './answers.js';
export * from './complete-document.js';
export * from './named-schemas.js';
export * from './rules-reference.js';
