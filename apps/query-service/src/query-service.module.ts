import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { EventStore } from '#libs/event-store';
import type { DocumentStore } from '#libs/read-models';
import { AuditLogController } from './audit/audit-log.controller.js';
import { AuditLog } from './audit/audit-log.service.js';
import { SupportAuditLogController } from './audit/support-audit-log.controller.js';
import { AccessChangesController } from './access-changes/access-changes.controller.js';
import { AccessChangesService } from './access-changes/access-changes.service.js';
import { ChecksController } from './checks/checks.controller.js';
import { ChecksService } from './checks/checks.service.js';
import { OrganizationHistory, type HistorySnapshots } from './history/organization-history.js';
import { UserProjectsExportController } from './exports/user-projects-export.controller.js';
import { MinPositionInterceptor } from './min-position.interceptor.js';
import { ReadAccess } from './read-access.js';
import { ApiKeyReadsController } from './reads/api-key-reads.controller.js';
import { ApiKeyViews } from './reads/api-key-views.js';
import { OrganizationReadsController } from './reads/organization-reads.controller.js';
import { ProjectReadsController } from './reads/project-reads.controller.js';
import { SupportReadsController } from './reads/support-reads.controller.js';
import { WorkspaceReadsController } from './reads/workspace-reads.controller.js';
import {
  ACCESS_GRAPHS,
  DOCUMENT_STORE,
  HISTORY_SNAPSHOTS,
  HISTORY_STORE,
  READ_MODEL_PROGRESS,
  type AccessGraphSource,
  type ReadModelProgress,
} from './tokens.js';

/**
 * HTTP reads over the read models (issue 4), with R35's read-your-writes. Import it beside
 * HttpCoreModule, which authenticates requests and maps errors for every service.
 */
@Module({})
export class QueryServiceModule {
  static forRoot(
    documentStore: DocumentStore,
    progress: ReadModelProgress,
    history: EventStore,
    graphs: AccessGraphSource,
    /** Where the history reads (R33) start from and leave snapshots (ADR 19); absent: none. */
    snapshots?: HistorySnapshots,
  ): DynamicModule {
    return {
      module: QueryServiceModule,
      controllers: [
        OrganizationReadsController,
        WorkspaceReadsController,
        ProjectReadsController,
        ApiKeyReadsController,
        SupportReadsController,
        UserProjectsExportController,
        ChecksController,
        AuditLogController,
        SupportAuditLogController,
        AccessChangesController,
      ],
      providers: [
        { provide: DOCUMENT_STORE, useValue: documentStore },
        { provide: READ_MODEL_PROGRESS, useValue: progress },
        { provide: HISTORY_STORE, useValue: history },
        { provide: HISTORY_SNAPSHOTS, useValue: snapshots },
        OrganizationHistory,
        { provide: ACCESS_GRAPHS, useValue: graphs },
        ChecksService,
        AccessChangesService,
        { provide: APP_INTERCEPTOR, useClass: MinPositionInterceptor },
        ReadAccess,
        ApiKeyViews,
        AuditLog,
      ],
    };
  }
}
