import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '#libs/domain';
import { ApiRead, Context, OrgId, type RequestContext } from '#libs/http';
import { forbiddenAsOf } from '../openapi-reads.js';
import { ReadAccess } from '../read-access.js';
import { USER_PROJECT_COLUMNS, userProjectsCsv } from './user-projects-csv.js';

/**
 * R30: the user–project CSV, one row per (member, project) where the member has any access.
 * Streamed from the read model a row at a time, waiting for the socket to drain, so memory
 * stays flat whatever the number of rows.
 */
@ApiTags('exports')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/exports')
export class UserProjectsExportController {
  constructor(private readonly access: ReadAccess) {}

  @Get('user-projects.csv')
  @ApiOperation({ summary: 'R30: who can reach which project, and how (org admins)' })
  @ApiRead(
    {
      description:
        'The CSV, an attachment `user-projects.csv`; with asOf, X-As-Of-Position and X-As-Of-Time name the last event it reflects (R33)',
      content: {
        'text/csv': {
          type: 'string',
          description: `RFC 4180, one row per (member, project) where the member has any access: ${USER_PROJECT_COLUMNS.join(',')}`,
        },
      },
      headers: {
        'X-As-Of-Position': {
          description: 'With asOf: the global position the rows reflect',
          schema: { type: 'string', pattern: '^\\d+$' },
        },
        'X-As-Of-Time': {
          description: 'With asOf: when that event was recorded',
          schema: { type: 'string', format: 'date-time' },
        },
      },
    },
    {
      asOf: true,
      refusals: {
        403: forbiddenAsOf(
          '`NOT_ALLOWED`: the reader is not an org admin (R30); an org admin can grant full_access.',
        ),
      },
    },
  )
  async export(
    @Param('orgId', OrgId) orgId: string,
    @Query('asOf') asOf: unknown,
    @Context() context: RequestContext,
    @Res() response: Response,
  ) {
    const view = await this.access.view(context.actor, orgId, asOf, context.now);
    if (!this.access.seesEverything(view.reader)) {
      throw new DomainError(
        'forbidden',
        'NOT_ALLOWED',
        'Only org admins download the user-project information.',
      );
    }
    response.status(200);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', 'attachment; filename="user-projects.csv"');
    // A CSV has no body to carry the point it reflects (R33): headers do.
    if (view.asOf) {
      response.setHeader('X-As-Of-Position', view.asOf.position);
      response.setHeader('X-As-Of-Time', view.asOf.time);
    }
    for await (const line of userProjectsCsv(view.store, orgId)) {
      await write(response, line);
      if (response.destroyed) return; // the client went away: stop reading
    }
    response.end();
  }
}

/** Writes, and waits for the buffer to drain when the client reads slower than we produce. */
export function write(response: Response, chunk: string): Promise<void> {
  if (response.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
