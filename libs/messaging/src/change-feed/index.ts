export * from './change-feed.module.js';
export * from './change-feed.options.js';
export * from './sse-parser.js';
