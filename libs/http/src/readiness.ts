import { Global, Module, type DynamicModule } from '@nestjs/common';

/** Something `/health/ready` must hear from: answers a problem, or undefined when ready. */
export interface ReadinessProbe {
  name: string;
  check(): Promise<string | undefined>;
}

/**
 * The probes, one list per app: a provider that starts something at bootstrap (the standalone
 * app's relay, which runs only when Kafka is on) adds its probe to it then.
 */
export const READINESS_PROBES = Symbol('ReadinessProbes');

/** Adds probes to `/health/ready`, e.g. the projector's lag where it runs in process. */
@Global()
@Module({})
export class ReadinessModule {
  static forRoot(probes: ReadinessProbe[]): DynamicModule {
    return {
      module: ReadinessModule,
      providers: [{ provide: READINESS_PROBES, useValue: probes }],
      exports: [READINESS_PROBES],
    };
  }
}
