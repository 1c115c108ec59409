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

/** An organization as one actor may read it. */
export interface OrganizationReading {
  state: OrganizationState;
  /**
   * The reading member's userId, for reads that depend on who asks (R20, R29); null for
   * support and auditors, who read the whole organization (ADR 6).
   */
  userId: string | null;
}

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
    const { state, userId } = await this.readingAs(actor, organizationId);
    if (permission && userId !== null && !memberPermissions(state, userId).includes(permission)) {
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

  /** The organization and who reads it: an active member, or support or an auditor. */
  async readingAs(actor: Actor, organizationId: string): Promise<OrganizationReading> {
    const state = await this.executor.load(organizationAggregate, organizationId);
    if (!state.exists) throw notFound();
    if (actor.type === 'support' || actor.type === 'auditor') return { state, userId: null };
    if (actor.type !== 'user') throw notFound();
    const member = findMemberByEmail(state, actor.email);
    if (!member || member.status !== 'active') throw notFound();
    return { state, userId: member.userId };
  }
}

function notFound(): DomainError {
  return new DomainError('not_found', 'ORGANIZATION_NOT_FOUND', 'No such organization.');
}
