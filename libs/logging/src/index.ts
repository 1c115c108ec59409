export * from './structured-logger.js';
export * from './request-logging.js';
export * from './nest-logging.js';
