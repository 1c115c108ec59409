import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiError, ApiRead, Context, OrgId, type RequestContext } from '#libs/http';
import { write } from '../exports/user-projects-export.controller.js';
import { ApiQueries } from '../openapi-reads.js';
import {
  AUDIT_EXPORT_FORMATS,
  auditCsv,
  auditNdjson,
  type AuditExportFormat,
} from './audit-export.js';
import type { AuditEntry } from './audit-entry.js';
import { AuditLog } from './audit-log.service.js';
import { AUDIT_ENTRY, AUDIT_FILTER_QUERIES, AUDIT_REFUSALS } from './audit-log.schemas.js';
import { parseAuditFilter, parseAuditPage } from './audit-query.js';

/** R34: an organization's audit log, a page at a time or streamed for auditors' tools. */
@ApiTags('audit log')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/audit-log')
export class AuditLogController {
  constructor(private readonly log: AuditLog) {}

  @Get()
  @ApiOperation({
    summary:
      "R34: the organization's events told as entries — who did what to whom, when, and the cause of a cascade — filtered and paged by position (org admins, auditors, support)",
  })
  @ApiQueries(AUDIT_FILTER_QUERIES)
  @ApiRead(AUDIT_ENTRY, { page: 'AuditLogPage', refusals: AUDIT_REFUSALS })
  async page(
    @Param('orgId', OrgId) orgId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
  ) {
    await this.log.authorize(context.actor, orgId);
    return this.log.page(orgId, parseAuditPage(query));
  }

  @Get('export')
  @ApiOperation({
    summary:
      'R34: the whole (filtered) audit log streamed, one entry a line: NDJSON, or CSV with a header',
  })
  @ApiQueries([
    {
      name: 'format',
      schema: { type: 'string', enum: [...AUDIT_EXPORT_FORMATS], default: 'ndjson' },
    },
    ...AUDIT_FILTER_QUERIES,
  ])
  @ApiRead(
    {
      description: 'Streamed as an attachment, `audit-log-<orgId>.<format>`',
      content: {
        'application/x-ndjson': {
          type: 'string',
          description: 'One AuditEntry as JSON a line, in position order',
        },
        'text/csv': {
          type: 'string',
          description:
            'RFC 4180 with a header line; cells that a spreadsheet would run as a formula are quoted',
        },
      },
    },
    { refusals: AUDIT_REFUSALS },
  )
  async export(
    @Param('orgId', OrgId) orgId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
    @Res() response: Response,
  ) {
    await this.log.authorize(context.actor, orgId);
    const { format: formatParam, ...filters } = query;
    const format = exportFormat(formatParam);
    const filter = parseAuditFilter(filters);
    // Everything that can be refused is refused above, before the first byte is sent.
    await stream(response, format, `audit-log-${orgId}`, this.log.entries(orgId, filter));
  }
}

export function exportFormat(value: unknown): AuditExportFormat {
  if (value === undefined) return 'ndjson';
  if (typeof value === 'string' && (AUDIT_EXPORT_FORMATS as readonly string[]).includes(value)) {
    return value as AuditExportFormat;
  }
  throw new ApiError(400, 'INVALID_FORMAT', 'format is ndjson or csv.', { fields: ['format'] });
}

/**
 * Streams entries a line at a time, waiting for the socket to drain, so memory stays flat
 * whatever the length of the log; stops reading the store when the client goes away.
 */
export async function stream(
  response: Response,
  format: AuditExportFormat,
  filename: string,
  entries: AsyncGenerator<AuditEntry>,
): Promise<void> {
  const lines = format === 'csv' ? auditCsv(entries) : auditNdjson(entries);
  response.status(200);
  response.setHeader(
    'Content-Type',
    format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
  );
  response.setHeader('Content-Disposition', `attachment; filename="${filename}.${format}"`);
  try {
    for await (const line of lines) {
      await write(response, line);
      if (response.destroyed) return;
    }
  } catch (error) {
    // The status is sent: all that can be said now is that the export is incomplete.
    response.destroy(error instanceof Error ? error : new Error(String(error)));
    return;
  } finally {
    await entries.return(undefined);
  }
  response.end();
}
