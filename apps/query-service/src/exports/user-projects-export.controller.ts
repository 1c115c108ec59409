import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '#libs/domain';
import { Context, OrgId, type RequestContext } from '#libs/http';
import type { DocumentStore } from '#libs/read-models';
import { ReadAccess } from '../read-access.js';
import { DOCUMENT_STORE } from '../tokens.js';
import { userProjectsCsv } from './user-projects-csv.js';

/**
 * R30: the user–project CSV, one row per (member, project) where the member has any access.
 * Streamed from the read model a row at a time, waiting for the socket to drain, so memory
 * stays flat whatever the number of rows.
 */
@ApiTags('exports')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/exports')
export class UserProjectsExportController {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly store: DocumentStore,
    private readonly access: ReadAccess,
  ) {}

  @Get('user-projects.csv')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'R30: who can reach which project, and how (org admins)' })
  async export(
    @Param('orgId', OrgId) orgId: string,
    @Context() context: RequestContext,
    @Res() response: Response,
  ) {
    const reader = await this.access.resolve(context.actor, orgId);
    if (!this.access.seesEverything(reader)) {
      throw new DomainError(
        'forbidden',
        'NOT_ALLOWED',
        'Only org admins download the user-project information.',
      );
    }
    response.status(200);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', 'attachment; filename="user-projects.csv"');
    for await (const line of userProjectsCsv(this.store, orgId)) {
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
