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
): Projector {
  return new Projector(eventStore, documentStore, ALL_PROJECTIONS, {
    ...projectorOptions(settings),
    logger: new Logger('Projector'),
    graphs,
  });
}

/**
 * Starts the projector when the application boots and awaits its catch-up, so an app that
 * serves reads from the same process (the embedded default) only listens once the read
 * models have caught up with the store; stops it before the stores close.
 */
@Injectable()
class ProjectorLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(PROJECTOR) private readonly projector: Projector) {}

  onApplicationBootstrap(): Promise<void> {
    return this.projector.start();
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
  static forProjector(projector: Projector): DynamicModule {
    return {
      module: ProjectorModule,
      global: true,
      providers: [{ provide: PROJECTOR, useValue: projector }, ProjectorLifecycle],
      exports: [PROJECTOR],
    };
  }
}
