import { descriptorOf } from './event-catalog.js';

/** Turns the data of one schema version of an event type into the next version's. */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/** Stored data read as the current schema version. */
export interface Upcast {
  data: Record<string, unknown>;
  schemaVersion: number;
}

/** An event stored at a version no chain of upcasters leads from. */
export class MissingUpcasterError extends Error {
  readonly code = 'MISSING_UPCASTER';
  constructor(
    readonly type: string,
    readonly fromVersion: number,
  ) {
    super(
      `No upcaster for ${type} v${fromVersion}: register one (libs/messaging/src/upcasters.ts) so stored history stays readable.`,
    );
    this.name = 'MissingUpcasterError';
  }
}

/**
 * History is never rewritten (R32), so an event stored at an old schema version is read as the
 * current one by a chain of upcasters, each one step: (type, v) -> v + 1. Every event is at
 * version 1 today; the registry is where version 2 of a type will bring its upcaster.
 */
export class UpcasterRegistry {
  private readonly upcasters = new Map<string, Upcaster>();

  /** The current versions default to the catalog's; tests may give their own. */
  constructor(
    private readonly currentVersionOf: (type: string) => number = (type) =>
      descriptorOf(type).version,
  ) {}

  /** The version this release writes and reads `type` as. */
  currentVersion(type: string): number {
    return this.currentVersionOf(type);
  }

  register(type: string, fromVersion: number, upcaster: Upcaster): this {
    const key = keyOf(type, fromVersion);
    if (this.upcasters.has(key)) {
      throw new TypeError(`An upcaster for ${type} v${fromVersion} is already registered.`);
    }
    this.upcasters.set(key, upcaster);
    return this;
  }

  upcast(type: string, schemaVersion: number, data: Record<string, unknown>): Upcast {
    const current = this.currentVersionOf(type);
    if (schemaVersion > current) {
      // Written by a newer release than this one: reading it as if current would lie.
      throw new TypeError(
        `${type} v${schemaVersion} is newer than this release knows (v${current}); upgrade this service.`,
      );
    }
    let version = schemaVersion;
    let upcast = data;
    while (version < current) {
      const upcaster = this.upcasters.get(keyOf(type, version));
      if (!upcaster) throw new MissingUpcasterError(type, version);
      upcast = upcaster(upcast);
      version += 1;
    }
    return { data: upcast, schemaVersion: version };
  }
}

const keyOf = (type: string, version: number): string => `${type}@${version}`;

/** The upcasters of this release: none yet, every event type is at version 1. */
export const upcasters = new UpcasterRegistry();
