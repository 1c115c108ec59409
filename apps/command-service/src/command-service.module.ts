import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { Settings } from '#libs/config';
import { DashboardsController } from './access/dashboards.controller.js';
import { GroupsController } from './access/groups.controller.js';
import { ProjectsController } from './access/projects.controller.js';
import { WorkspacesController } from './access/workspaces.controller.js';
import { HealthController } from './health/health.controller.js';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor.js';
import { CommandExecutor } from './infrastructure/command-executor.js';
import type { Stores } from './infrastructure/stores.js';
import {
  COMMAND_RETRIES,
  EVENT_STORE,
  IDEMPOTENCY_TTL_MS,
  SNAPSHOTS,
} from './infrastructure/tokens.js';
import { ApiKeysController } from './organizations/api-keys.controller.js';
import { MembersController } from './organizations/members.controller.js';
import { OrganizationCommands } from './organizations/organization-commands.service.js';
import { RolesController } from './organizations/roles.controller.js';
import { RunOrganizationCommandHandler } from './organizations/run-organization-command.js';
import { SupportController } from './organizations/support.controller.js';

const STORES = Symbol('Stores');

/** Closes the stores the module was given when the app shuts down. */
class StoresLifecycle implements OnApplicationShutdown {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  async onApplicationShutdown(): Promise<void> {
    await this.stores.eventStore.close();
    await this.stores.snapshotStore?.close();
  }
}

/**
 * HTTP commands: validate -> CommandBus -> load, decide, append. Import it beside
 * HttpCoreModule, which authenticates requests and maps errors for every service.
 */
@Module({})
export class CommandServiceModule {
  static forRoot(settings: Settings, stores: Stores): DynamicModule {
    return {
      module: CommandServiceModule,
      imports: [CqrsModule.forRoot()],
      controllers: [
        HealthController,
        SupportController,
        RolesController,
        MembersController,
        ApiKeysController,
        GroupsController,
        WorkspacesController,
        ProjectsController,
        DashboardsController,
      ],
      providers: [
        { provide: STORES, useValue: stores },
        { provide: EVENT_STORE, useValue: stores.eventStore },
        { provide: IDEMPOTENCY_TTL_MS, useValue: settings.idempotencyTtlSeconds * 1000 },
        { provide: COMMAND_RETRIES, useValue: settings.commandRetries },
        {
          provide: SNAPSHOTS,
          useValue: stores.snapshotStore && {
            store: stores.snapshotStore,
            every: settings.snapshots.every,
          },
        },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        StoresLifecycle,
        CommandExecutor,
        OrganizationCommands,
        RunOrganizationCommandHandler,
      ],
    };
  }
}
