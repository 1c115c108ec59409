import { Inject, Injectable } from '@nestjs/common';
import {
  checkWithCells,
  explain,
  type AccessPath,
  type Subject,
  type AccessQuery,
} from '#libs/access';
import { DomainError, type Actor, type OrganizationState } from '#libs/domain';
import { toErrorBody, type ErrorBody } from '#libs/http';
import type { FoldedOrganization } from '#libs/read-models';
import type { AsOf } from '../history/as-of.js';
import { OrganizationHistory } from '../history/organization-history.js';
import { ReadAccess } from '../read-access.js';
import { ACCESS_GRAPHS, type AccessGraphSource } from '../tokens.js';
import type { ParsedCheck } from './check-request.js';

/** The answer to one check (R31): allowed or not, the effective role, and with explain the paths. */
export interface CheckAnswer {
  allowed: boolean;
  role?: string;
  reason?: string;
  paths?: AccessPath[];
}

export interface CheckAnswers {
  results: (CheckAnswer | { error: ErrorBody })[];
  /** Global position of the last event the answers reflect. */
  position: string;
  /** With asOf (R33): when that event was recorded. */
  time?: string;
}

/** The organization a check is answered over: now, or as of a past point (R33). */
interface Answering {
  state: OrganizationState;
  provenance: FoldedOrganization['provenance'];
  projectCells?: FoldedOrganization['projectCells'];
  position: string;
  /** ISO instant the answer is judged at (API keys expire, R15). */
  now: string;
  time?: string;
}

/** Who asks, as R31 sees them: anyone of the organization, or only oneself. */
type Asker = { asksAboutAnyone: true } | { asksAboutAnyone: false; self: Subject };

/**
 * R31 over HTTP: resolves who asks, then lets the access engine answer over the organization's
 * folded access graph. Support, auditors, org admins and API keys holding the whole admin
 * namespace ask about anyone of the organization; any member or key about itself (403
 * otherwise). A subject or resource the organization does not hold is 404 (S1).
 */
@Injectable()
export class ChecksService {
  constructor(
    @Inject(ACCESS_GRAPHS) private readonly graphs: AccessGraphSource,
    private readonly history: OrganizationHistory,
    private readonly access: ReadAccess,
  ) {}

  /** One check: refusals are thrown. */
  async one(
    actor: Actor,
    organizationId: string,
    parsed: ParsedCheck,
    withPaths: boolean,
    asOf?: AsOf,
  ) {
    const { organization, asker } = await this.answering(actor, organizationId, asOf);
    return {
      ...this.answer(organization, asker, parsed, withPaths),
      position: organization.position,
      ...(organization.time && { time: organization.time }),
    };
  }

  /** A batch, answered in order: a refusal of one check is that check's answer, not the batch's. */
  async many(
    actor: Actor,
    organizationId: string,
    checks: ParsedCheck[],
    withPaths: boolean,
    asOf?: AsOf,
  ): Promise<CheckAnswers> {
    const { organization, asker } = await this.answering(actor, organizationId, asOf);
    const results = checks.map((parsed) => {
      try {
        return this.answer(organization, asker, parsed, withPaths);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return { error: toErrorBody(error) };
      }
    });
    return {
      results,
      position: organization.position,
      ...(organization.time && { time: organization.time }),
    };
  }

  /**
   * Who asks is judged by the organization now (S1, S5); with asOf only those who may read
   * history — support, auditors, org admins and keys holding the admin namespace (R33) — and
   * the answer comes from the organization folded to that point.
   */
  private async answering(
    actor: Actor,
    organizationId: string,
    asOf: AsOf | undefined,
  ): Promise<{ organization: Answering; asker: Asker }> {
    const current = this.graphs.get(organizationId);
    if (!current) throw notFound('ORGANIZATION_NOT_FOUND', 'organization');
    const asker = await this.askerOf(actor, organizationId);
    if (!asOf) {
      // Now: no `time` (that is an as-of answer's), the fast path's cells.
      const { state, provenance, projectCells, position } = current;
      const now = new Date().toISOString();
      return { organization: { state, provenance, projectCells, position, now }, asker };
    }
    if (!asker.asksAboutAnyone) {
      throw new DomainError(
        'forbidden',
        'AS_OF_NOT_ALLOWED',
        'Support, auditors and org admins ask about the past; others ask about now.',
      );
    }
    const past = await this.history.at(organizationId, asOf);
    // Keys expire by the clock, not by an event: judge them at the instant asked about.
    const at = asOf.kind === 'time' ? new Date(asOf.time).toISOString() : past.time;
    return { organization: { ...past, now: at }, asker };
  }

  /**
   * R31's askers about anyone are the readers of the whole organization (ReadAccess): support,
   * auditors, org admins and keys holding the whole admin namespace; anyone else of the
   * organization asks about themself. Strangers are told it does not exist (S1, S5).
   */
  private async askerOf(actor: Actor, organizationId: string): Promise<Asker> {
    const reader = await this.access.resolve(actor, organizationId);
    if (
      reader.kind === 'operator' ||
      this.access.readsWholeOrganization(reader, new Date().toISOString())
    ) {
      return { asksAboutAnyone: true };
    }
    const self: Subject =
      reader.kind === 'member'
        ? { type: 'user', id: reader.member.userId }
        : { type: 'api_key', id: reader.keyId };
    return { asksAboutAnyone: false, self };
  }

  private answer(
    { state, provenance, projectCells, now }: Answering,
    asker: Asker,
    { subject, query }: ParsedCheck,
    withPaths: boolean,
  ): CheckAnswer {
    requireSubject(state, subject);
    requireResource(state, query);
    if (!asker.asksAboutAnyone && !sameSubject(asker.self, subject)) {
      throw new DomainError(
        'forbidden',
        'CHECK_NOT_ALLOWED',
        'You may check only yourself; support, auditors and org admins check anyone of the organization.',
      );
    }
    if (!withPaths) return checkWithCells(state, projectCells, subject, query, { now });
    return explain(state, provenance, subject, query, { now });
  }
}

const sameSubject = (a: Subject, b: Subject): boolean => a.type === b.type && a.id === b.id;

function requireSubject(state: OrganizationState, subject: Subject): void {
  const known =
    subject.type === 'user' ? state.members.has(subject.id) : state.apiKeys.has(subject.id);
  if (!known) throw notFound('SUBJECT_NOT_FOUND', subject.type === 'user' ? 'member' : 'API key');
}

/** The resource must be the organization's; a deleted project still is (its checks say no). */
function requireResource(state: OrganizationState, query: AccessQuery): void {
  switch (query.kind) {
    case 'permission':
      return;
    case 'workspace':
      if (!state.workspaces.has(query.workspaceId))
        throw notFound('WORKSPACE_NOT_FOUND', 'workspace');
      return;
    case 'project':
      if (!state.projects.has(query.projectId)) throw notFound('PROJECT_NOT_FOUND', 'project');
      return;
    case 'dashboard':
      if (!state.dashboards.has(query.dashboardId))
        throw notFound('DASHBOARD_NOT_FOUND', 'dashboard');
      if (query.projectId !== undefined && !state.projects.has(query.projectId)) {
        throw notFound('PROJECT_NOT_FOUND', 'project');
      }
  }
}

const notFound = (code: string, what: string) =>
  new DomainError('not_found', code, `No such ${what} in this organization.`);
