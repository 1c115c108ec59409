import {
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Settings } from '#libs/config';
import type { EventStore } from '#libs/event-store';
import { ALL_PROJECTIONS, type AccessGraphs, type DocumentStore } from '#libs/read-models';
import { Projector } from './projector.js';
import type { ProjectorOptions } from './projector.options.js';
import { PROJECTOR } from './tokens.js';

/**
 * Batching by store: applying to the in-memory store costs microseconds, so a live event is
 * applied as soon as the subscription has delivered what is there; a MongoDB apply is a
 * transaction round trip, so live events wait up to 10 ms to share one. Either way a reader
 * waiting on `?minPosition=` (R35) waits at most that long beyond the apply itself.
 */
export function projectorOptions(settings: Settings): ProjectorOptions {
  return settings.mongoUrl
    ? { batchSize: 1000, maxBatchDelayMs: 10 }
    : { batchSize: 1000, maxBatchDelayMs: 0 };
}

/** The projector of every read model, over the given stores. */
export function createProjector(
  settings: Settings,
  eventStore: EventStore,
  documentStore: DocumentStore,
  graphs?: AccessGraphs,
  snapshots?: ProjectorOptions['snapshots'],
): Projector {
  return new Projector(eventStore, documentStore, ALL_PROJECTIONS, {
    ...projectorOptions(settings),
    logger: new Logger('Projector'),
    graphs,
    snapshots,
  });
}

/** How often the projector snapshots what it folded (and at catch-up and at stop). */
export const FOLD_SNAPSHOT_EVERY_MS = 30_000;

const SERVE_WHILE_CATCHING_UP = Symbol('SERVE_WHILE_CATCHING_UP');

/**
 * Starts the projector when the application boots and stops it before the stores close.
 * By default boot awaits the catch-up; an app serving persisted read models (the embedded
 * default) listens at once instead — alive from the first second, ready once caught up,
 * reads answering per R35 meanwhile — and a failed catch-up is logged and shown by readiness.
 */
@Injectable()
class ProjectorLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projector');

  constructor(
    @Inject(PROJECTOR) private readonly projector: Projector,
    @Inject(SERVE_WHILE_CATCHING_UP) private readonly serveWhileCatchingUp: boolean,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const started = this.projector.start();
    if (!this.serveWhileCatchingUp) return started;
    started.catch((error: unknown) =>
      this.logger.error(`Catching up failed: ${(error as Error).message}`),
    );
  }

  // Before, not on, shutdown: the modules that own the stores close them on shutdown.
  beforeApplicationShutdown(): Promise<void> {
    return this.projector.stop();
  }
}

/**
 * Provides `PROJECTOR` to the whole application (one projector per process; the query
 * service waits on it for R35 and health reports its lag) and runs it with the app. The
 * stores are the caller's: it opened them and closes them.
 */
@Module({})
export class ProjectorModule {
  static forRoot(
    settings: Settings,
    eventStore: EventStore,
    documentStore: DocumentStore,
  ): DynamicModule {
    return ProjectorModule.forProjector(createProjector(settings, eventStore, documentStore));
  }

  /**
   * For a process that hands the same projector to another module too, e.g.
   * `QueryServiceModule.forRoot(documentStore, projector)` as its ReadModelProgress.
   */
  static forProjector(
    projector: Projector,
    { serveWhileCatchingUp = false }: { serveWhileCatchingUp?: boolean } = {},
  ): DynamicModule {
    return {
      module: ProjectorModule,
      global: true,
      providers: [
        { provide: PROJECTOR, useValue: projector },
        { provide: SERVE_WHILE_CATCHING_UP, useValue: serveWhileCatchingUp },
        ProjectorLifecycle,
      ],
      exports: [PROJECTOR],
    };
  }
}
