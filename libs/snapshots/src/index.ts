export * from './snapshot-store.port.js';
export * from './retention.js';
export * from './snapshot-codec.js';
export * from './organization-history-snapshot.js';
export { SqliteSnapshotStore } from './sqlite-snapshot-store.js';
export { MongoSnapshotStore } from './mongo-snapshot-store.js';
export type { MongoSnapshotStoreOptions } from './mongo-snapshot-store.js';
export * from './open-snapshot-store.js';
