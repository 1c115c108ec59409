import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiError, Context, OrgId, type RequestContext } from '#libs/http';
import { parseAsOf } from '../history/as-of.js';
import { HonoursMinPosition } from '../min-position.interceptor.js';
import { parseCheck, type CheckInput } from './check-request.js';
import {
  CHECK_RESPONSE,
  CHECKS_REQUEST,
  CHECKS_RESPONSE,
  ERROR_RESPONSE,
} from './check.schemas.js';
import { ChecksService } from './checks.service.js';

/** At most this many checks in one POST …/checks. */
export const MAX_CHECKS = 1_000;

const AS_OF_QUERY = {
  name: 'asOf',
  required: false,
  description:
    'Answer as of a past point: an ISO-8601 instant or a global position (R33; support, auditors, org admins)',
};

const MIN_POSITION_QUERY = {
  name: 'minPosition',
  required: false,
  description: 'Answer only once the read models reached this position (R35)',
};

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
  @ApiQuery({ name: 'subject', required: true, description: 'user:<userId> or apiKey:<keyId>' })
  @ApiQuery({ name: 'permission', required: false, description: 'A permission, e.g. checks.read' })
  @ApiQuery({
    name: 'resource',
    required: false,
    description: 'workspace:<id>, project:<id> or dashboard:<id>',
  })
  @ApiQuery({ name: 'action', required: false, description: 'The action on the resource' })
  @ApiQuery({ name: 'project', required: false, description: "With a dashboard's view_data" })
  @ApiQuery({ name: 'explain', required: false, enum: ['true', 'false'] })
  @ApiQuery(MIN_POSITION_QUERY)
  @ApiQuery(AS_OF_QUERY)
  @ApiOkResponse({ schema: CHECK_RESPONSE })
  @ApiResponse({ status: 400, description: 'A malformed check', ...ERROR_RESPONSE })
  @ApiResponse({
    status: 403,
    description: 'Only yourself, unless support, auditor or org admin',
    ...ERROR_RESPONSE,
  })
  @ApiResponse({
    status: 404,
    description: 'Unknown organization, subject or resource',
    ...ERROR_RESPONSE,
  })
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
  @ApiQuery(MIN_POSITION_QUERY)
  @ApiQuery(AS_OF_QUERY)
  @ApiBody({ schema: CHECKS_REQUEST })
  @ApiOkResponse({ schema: CHECKS_RESPONSE })
  @ApiResponse({ status: 400, description: 'A malformed check, or too many', ...ERROR_RESPONSE })
  @ApiResponse({ status: 404, description: 'Unknown organization', ...ERROR_RESPONSE })
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
