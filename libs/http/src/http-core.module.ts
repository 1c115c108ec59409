import {
  Global,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import type { Authenticator } from '#libs/auth';
import { flushTracing } from '#libs/tracing';
import { ApiExceptionFilter } from './api-exception.filter.js';
import { AuthenticationGuard } from './authentication.guard.js';
import { HttpDrain } from './http-drain.js';
import { Metrics, MetricsController } from './metrics.js';
import { AUTHENTICATOR } from './tokens.js';
import { createValidationPipe } from './validation.pipe.js';

/** The spans of the last requests are exported before the app's process exits. */
@Injectable()
class TracingFlush implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return flushTracing();
  }
}

/**
 * What every HTTP app shares, registered once even when several services are composed on one
 * port (apps/standalone): authentication of every request (S1), the error model (R38), DTO
 * validation, /metrics, and a shutdown that drains the HTTP server first (ADR 25).
 */
@Global()
@Module({})
export class HttpCoreModule {
  static forRoot(authenticator: Authenticator): DynamicModule {
    return {
      module: HttpCoreModule,
      controllers: [MetricsController],
      providers: [
        Metrics,
        HttpDrain,
        TracingFlush,
        { provide: AUTHENTICATOR, useValue: authenticator },
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [AUTHENTICATOR, Metrics],
    };
  }
}
