export * from './roles.js';
export * from './principal.js';
export * from './graph.js';
export * from './permissions.js';
export * from './provenance.js';
export * from './vocabulary.js';
export * from './engine.js';
export * from './project-cells.js';
