import { applyDecorators, Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
  type ApiQueryOptions,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiError, Context, OrgId, type RequestContext } from '#libs/http';
import { ERROR_RESPONSE } from '../checks/check.schemas.js';
import { write } from '../exports/user-projects-export.controller.js';
import {
  AUDIT_EXPORT_FORMATS,
  auditCsv,
  auditNdjson,
  type AuditExportFormat,
} from './audit-export.js';
import type { AuditEntry } from './audit-entry.js';
import { AuditLog } from './audit-log.service.js';
import { AUDIT_FILTER_QUERIES, AUDIT_PAGE, AUDIT_PAGE_QUERIES } from './audit-log.schemas.js';
import { parseAuditFilter, parseAuditPage } from './audit-query.js';

export const ApiQueries = (queries: ApiQueryOptions[]) => applyDecorators(...queries.map(ApiQuery));

export const AUDIT_ERRORS = applyDecorators(
  ApiResponse({
    status: 400,
    description: 'A malformed filter, limit or cursor',
    ...ERROR_RESPONSE,
  }),
  ApiResponse({ status: 404, description: 'Unknown organization', ...ERROR_RESPONSE }),
);

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
  @ApiQueries([...AUDIT_FILTER_QUERIES, ...AUDIT_PAGE_QUERIES])
  @ApiOkResponse({ schema: AUDIT_PAGE })
  @AUDIT_ERRORS
  @ApiResponse({
    status: 403,
    description: 'A member or key who is not an org admin',
    ...ERROR_RESPONSE,
  })
  async page(
    @Param('orgId', OrgId) orgId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
  ) {
    await this.log.authorize(context.actor, orgId);
    return this.log.page(orgId, parseAuditPage(query));
  }

  @Get('export')
  @ApiProduces('application/x-ndjson', 'text/csv')
  @ApiOperation({
    summary:
      'R34: the whole (filtered) audit log streamed, one entry a line: NDJSON, or CSV with a header',
  })
  @ApiQuery({ name: 'format', required: false, enum: AUDIT_EXPORT_FORMATS })
  @ApiQueries(AUDIT_FILTER_QUERIES)
  @ApiOkResponse({ description: 'NDJSON (one entry a line) or CSV (RFC 4180, formula-safe)' })
  @AUDIT_ERRORS
  @ApiResponse({
    status: 403,
    description: 'A member or key who is not an org admin',
    ...ERROR_RESPONSE,
  })
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
