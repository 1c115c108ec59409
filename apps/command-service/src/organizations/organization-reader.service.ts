import { Injectable } from '@nestjs/common';
import {
  DomainError,
  findMemberByEmail,
  memberPermissions,
  type Actor,
  type OrganizationState,
} from '#libs/domain';
import { CommandExecutor } from '../infrastructure/command-executor.js';
import { organizationAggregate } from './aggregates.js';

/**
 * Reads served from the organization aggregate itself, for what the dashboards need before
 * the read models exist (the query service replaces these). Tenant isolation (S1): an actor
 * that is not an active member of the organization is told it does not exist.
 */
@Injectable()
export class OrganizationReader {
  constructor(private readonly executor: CommandExecutor) {}

  /** The organization, if the actor may read it; with `permission`, only for holders of it. */
  async readAs(
    actor: Actor,
    organizationId: string,
    permission?: string,
  ): Promise<OrganizationState> {
    const state = await this.executor.load(organizationAggregate, organizationId);
    if (!state.exists) throw notFound();
    if (actor.type === 'support' || actor.type === 'auditor') return state;
    if (actor.type !== 'user') throw notFound();
    const member = findMemberByEmail(state, actor.email);
    if (!member || member.status !== 'active') throw notFound();
    if (permission && !memberPermissions(state, member.userId).includes(permission)) {
      throw new DomainError(
        'forbidden',
        'MISSING_PERMISSION',
        `This needs the ${permission} permission.`,
        {
          missing: [permission],
        },
      );
    }
    return state;
  }
}

function notFound(): DomainError {
  return new DomainError('not_found', 'ORGANIZATION_NOT_FOUND', 'No such organization.');
}
