import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '#libs/domain';
import { ApiRead, ApiError, Context, OrgId, type RequestContext } from '#libs/http';
import { write } from '../exports/user-projects-export.controller.js';
import { parseAsOf, type AsOf } from '../history/as-of.js';
import { ApiQueries } from '../openapi-reads.js';
import { ReadAccess } from '../read-access.js';
import {
  ACCESS_CHANGE_COLUMNS,
  accessChangesCsv,
  accessChangesJson,
} from './access-changes-output.js';
import { ACCESS_CHANGES } from './access-changes.schemas.js';
import { AccessChangesService } from './access-changes.service.js';

const POINT_DESCRIPTION =
  'An ISO-8601 instant (e.g. 2026-10-01T00:00:00Z) or a global position (e.g. 42)';

/**
 * R39: every (member or API key, permission or workspace or project role) whose effective access
 * differs between two points of the organization's history, each with the event that caused it
 * — the access review an auditor signs off. Support, auditors and org admins read it.
 */
@ApiTags('history')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId')
export class AccessChangesController {
  constructor(
    private readonly changes: AccessChangesService,
    private readonly access: ReadAccess,
  ) {}

  @Get('access-changes')
  @ApiOperation({
    summary:
      'R39: every permission, workspace role and project role gained, lost or changed between two points, each with its cause (support, auditors, org admins)',
  })
  @ApiQueries([
    {
      name: 'from',
      required: true,
      description: `Start (exclusive): ${POINT_DESCRIPTION}`,
      schema: { type: 'string', example: '2026-10-01T00:00:00Z' },
    },
    {
      name: 'to',
      required: true,
      description: `End (inclusive): ${POINT_DESCRIPTION}`,
      schema: { type: 'string', example: '2026-11-01T00:00:00Z' },
    },
    { name: 'format', schema: { type: 'string', enum: ['json', 'csv'], default: 'json' } },
  ])
  @ApiRead(
    {
      description: 'JSON, or with format=csv the changes as CSV (RFC 4180, header line first)',
      content: {
        'application/json': ACCESS_CHANGES,
        'text/csv': { type: 'string', description: ACCESS_CHANGE_COLUMNS.join(',') },
      },
    },
    {
      refusals: {
        400: '`from` or `to` missing, malformed or in the future, or `from` not before `to`',
        403: '`ACCESS_CHANGES_FORBIDDEN`: a member who is not an org admin, or a key not holding the whole admin namespace. Support, auditors and org admins read access changes; an org admin can grant full_access.',
        404: 'Unknown organization, or `to` before it existed (S1)',
      },
    },
  )
  async list(
    @Param('orgId', OrgId) orgId: string,
    @Query('from') from: unknown,
    @Query('to') to: unknown,
    @Query('format') format: unknown,
    @Context() context: RequestContext,
    @Res() response: Response,
  ) {
    const reader = await this.access.resolve(context.actor, orgId);
    if (!this.access.readsWholeOrganization(reader, new Date().toISOString())) {
      throw new DomainError(
        'forbidden',
        'ACCESS_CHANGES_FORBIDDEN',
        'Only support, auditors, org admins and their keys holding the whole admin namespace read access changes.',
      );
    }
    if (format !== undefined && format !== 'json' && format !== 'csv') {
      throw new ApiError(400, 'INVALID_FORMAT', 'format is json or csv.', { fields: ['format'] });
    }
    const report = await this.changes.between(orgId, point(from, 'from'), point(to, 'to'));
    response.status(200);
    if (format === 'csv') {
      response.setHeader('Content-Type', 'text/csv; charset=utf-8');
      response.setHeader('Content-Disposition', 'attachment; filename="access-changes.csv"');
      await writeAll(response, accessChangesCsv(report));
    } else {
      response.setHeader('Content-Type', 'application/json; charset=utf-8');
      await writeAll(response, accessChangesJson(report));
    }
  }
}

function point(value: unknown, name: 'from' | 'to'): AsOf {
  const parsed = parseAsOf(value, name);
  if (!parsed) {
    throw new ApiError(
      400,
      'INVALID_ACCESS_CHANGES_WINDOW',
      `${name} is required: an ISO-8601 instant or a global position.`,
      { fields: [name] },
    );
  }
  return parsed;
}

/**
 * What is gathered before a write: a large window is hundreds of thousands of lines, and a
 * write each cost more than the report (a chunk frame, a syscall and a buffer per line).
 */
const WRITE_SIZE = 64 * 1024;

/**
 * Writes the lines a batch of about WRITE_SIZE characters at a time, waiting for the socket to
 * drain when the client reads slowly.
 */
async function writeAll(response: Response, lines: Iterable<string>): Promise<void> {
  let batch = '';
  for (const line of lines) {
    batch += line;
    if (batch.length < WRITE_SIZE) continue;
    if (response.destroyed) return; // the client went away
    await write(response, batch);
    batch = '';
  }
  if (response.destroyed) return;
  if (batch.length > 0) await write(response, batch);
  response.end();
}
