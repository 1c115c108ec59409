import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PERMISSION_PATTERN } from '#libs/domain';
import { ApiRead, ApiError, asSchema, Context, OrgId, type RequestContext } from '#libs/http';
import { parseAsOf } from '../history/as-of.js';
import { HonoursMinPosition } from '../min-position.interceptor.js';
import { ApiQueries, forbiddenAsOf } from '../openapi-reads.js';
import { parseCheck, type CheckInput } from './check-request.js';
import { CHECK_ACTIONS, CHECK_BATCH, CHECK_RESULT, CHECK_RESULTS } from './check.schemas.js';
import { ChecksService } from './checks.service.js';

/** At most this many checks in one POST …/checks. */
export const MAX_CHECKS = 1_000;

const ANSWER = 'The answer, and the position of the organization it reflects (R31)';

/** R31: may X do Y — and, with explain, why. */
@ApiTags('checks')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId')
export class ChecksController {
  constructor(private readonly checks: ChecksService) {}

  @Get('check')
  @ApiOperation({
    summary:
      'Whether a member or API key holds a permission or may take a workspace, project or dashboard action; with explain=true every path that grants it, each edge with its event (R31)',
  })
  @ApiQueries([
    {
      name: 'subject',
      required: true,
      description: 'user:<userId> or apiKey:<keyId>',
      schema: { type: 'string', pattern: '^(user|apiKey):' },
    },
    {
      name: 'permission',
      description: 'A permission, e.g. checks.read; or else resource and action',
      schema: { type: 'string', pattern: PERMISSION_PATTERN.source },
    },
    {
      name: 'resource',
      description: 'workspace:<id>, project:<id> or dashboard:<id>',
      schema: { type: 'string', pattern: '^(workspace|project|dashboard):' },
    },
    {
      name: 'action',
      description: 'The action on the resource',
      schema: { type: 'string', enum: CHECK_ACTIONS },
    },
    {
      name: 'project',
      description: "With a dashboard's view_data: the project asked about",
      schema: { type: 'string', format: 'uuid' },
    },
    {
      name: 'explain',
      description: 'true: every path that grants it, each edge with its event',
      schema: { type: 'string', enum: ['true', 'false'], default: 'false' },
    },
  ])
  @ApiRead(
    { description: ANSWER, content: { 'application/json': CHECK_RESULT } },
    {
      asOf: true,
      refusals: {
        400: 'A malformed check: `INVALID_CHECK` names the parameter in `details.fields`',
        403: forbiddenAsOf(
          '`CHECK_NOT_ALLOWED`: a member or key checking another subject than itself; support, auditors, org admins and keys holding the whole admin namespace check anyone (R31).',
        ),
        404: 'Unknown organization, subject or resource (S1)',
      },
    },
  )
  one(
    @Param('orgId', OrgId) orgId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
  ) {
    const { explain, asOf, minPosition: _minPosition, ...input } = query;
    const parsed = parseCheck(input);
    return this.checks.one(context.actor, orgId, parsed, explainFlag(explain), parseAsOf(asOf));
  }

  @Post('checks')
  @HttpCode(200)
  @HonoursMinPosition()
  @ApiOperation({ summary: `Up to ${MAX_CHECKS} checks, answered in order (R31)` })
  @ApiBody({ schema: asSchema(CHECK_BATCH) })
  @ApiRead(
    { description: ANSWER, content: { 'application/json': CHECK_RESULTS } },
    {
      asOf: true,
      refusals: {
        400: `A malformed check, or not 1 to ${MAX_CHECKS} of them: \`INVALID_CHECK\` names the field in \`details.fields\``,
        403: forbiddenAsOf(),
        404: 'Unknown organization (S1); an unknown subject or resource is the answer of its check',
      },
    },
  )
  many(
    @Param('orgId', OrgId) orgId: string,
    @Query('asOf') asOf: unknown,
    @Body() body: unknown,
    @Context() context: RequestContext,
  ) {
    const { checks, explain } = (body ?? {}) as { checks?: unknown; explain?: unknown };
    if (!Array.isArray(checks) || checks.length === 0 || checks.length > MAX_CHECKS) {
      throw new ApiError(400, 'INVALID_CHECK', `checks is an array of 1 to ${MAX_CHECKS} checks.`, {
        fields: ['checks'],
      });
    }
    if (explain !== undefined && typeof explain !== 'boolean') {
      throw new ApiError(400, 'INVALID_CHECK', 'explain is true or false.', {
        fields: ['explain'],
      });
    }
    const parsed = checks.map((item: unknown, index) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        throw new ApiError(400, 'INVALID_CHECK', 'Each check is an object.', {
          fields: [`checks.${index}`],
        });
      }
      return parseCheck(item as CheckInput, `checks.${index}.`);
    });
    return this.checks.many(context.actor, orgId, parsed, explain === true, parseAsOf(asOf));
  }
}

function explainFlag(value: unknown): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new ApiError(400, 'INVALID_CHECK', 'explain is true or false.', { fields: ['explain'] });
}
