import { Inject, Injectable } from '@nestjs/common';
import { check, isOrgAdmin, type AccessQuery } from '#libs/access';
import {
  apiKeyHoldsAdminNamespace,
  DomainError,
  identifyMember,
  identityKeysOf,
  normalizeEmail,
  type Actor,
  type OrganizationState,
  type UserActor,
} from '#libs/domain';
import {
  Collections,
  type ApiKeyAuditDocument,
  type DocumentStore,
  type Filter,
  type MemberDocument,
  type OrganizationDocument,
  type RoleDocument,
  ProjectAccessReads,
} from '#libs/read-models';
import { parseAsOf } from './history/as-of.js';
import { OrganizationHistory } from './history/organization-history.js';
import { PastDocumentStore } from './history/past-document-store.js';
import { ACCESS_GRAPHS, DOCUMENT_STORE, type AccessGraphSource } from './tokens.js';

/**
 * The organization state a reader's visibility is judged on, and the instant it is judged at
 * (API keys expire, R15). Absent: the organization now, as the projector folded it.
 */
export interface JudgedOn {
  state: OrganizationState;
  now: string;
}

/** Who is reading, resolved against the organization's read models. */
export type Reader = (
  | /** Support and auditors see every organization (R16, R33). */
    { kind: 'operator'; organization: OrganizationDocument }
  | {
      kind: 'member';
      organization: OrganizationDocument;
      member: MemberDocument;
      permissions: ReadonlySet<string>;
    }
  | {
      kind: 'api_key';
      organization: OrganizationDocument;
      keyId: string;
      permissions: ReadonlySet<string>;
    }
) & { judgedOn?: JudgedOn };

/** The point of its history an answer reflects (R33): the last event folded, and its time. */
export interface AsOfPoint {
  position: string;
  time: string;
}

/**
 * What one read runs against: the live read models, or (with `asOf=`, R33) the documents
 * documentsOf computes from the organization folded to that point, in a store of their own —
 * so every read keeps one code path whichever it is.
 */
export interface ReadView {
  /** Who asks, as resolved now: whose permissions a read requires (R16). */
  caller: Reader;
  /** Whom visibility is judged for: the caller, or with asOf a history reader of the past. */
  reader: Reader;
  store: DocumentStore;
  /** The instant key statuses are judged at (R15): the request's, or the point's. */
  now: string;
  /** Set when the view is of a past point. */
  asOf?: AsOfPoint;
}

/**
 * `body`, with the point it reflects when the view is of the past (R33); as is otherwise. With
 * asOf, `minPosition` is still validated and waited for but cannot change the answer: a past
 * point is read from the event store, which every position a command answered has reached.
 */
export function withAsOf<T extends object>(view: ReadView, body: T): T & { asOf?: AsOfPoint } {
  return view.asOf ? { ...body, asOf: view.asOf } : body;
}

/**
 * Resolves the caller for a read (S1): anyone who is not an active member of the organization
 * — nor support, an auditor, or one of its own API keys — is told it does not exist.
 */
@Injectable()
export class ReadAccess {
  /**
   * The live read models as reads see them: the project_access rows of org admins and
   * workspace editors are the engine's, over the same graph visibility is judged on (ADR 22).
   */
  private readonly reads: DocumentStore;

  constructor(
    @Inject(DOCUMENT_STORE) private readonly store: DocumentStore,
    @Inject(ACCESS_GRAPHS) private readonly graphs: AccessGraphSource,
    private readonly history: OrganizationHistory,
  ) {
    this.reads = new ProjectAccessReads(store, (organizationId) => graphs.get(organizationId));
  }

  /**
   * The view one read runs against. Without `asOf` the live read models and the caller as
   * resolved now. With it (R33), whether the caller may read history is judged on the
   * organization now — support, auditors, org admins and keys holding the admin namespace, as
   * for checks; anyone else 403 — and the answer comes from the organization folded to that
   * point by OrganizationHistory (404 before it existed, 400 in the future) through the
   * projections' own documentsOf. A history reader sees the past organization whole, as
   * support does: what they held back then (maybe nothing: they may have joined since) does
   * not narrow an audit. A key stays a key (no workspace or project roles), judged on the
   * past state at the past time.
   */
  async view(
    actor: Actor,
    organizationId: string,
    asOfValue: unknown,
    now: string,
  ): Promise<ReadView> {
    // Malformed is a 400 whoever asks; S1's 404 for outsiders comes next, from resolve.
    const asOf = parseAsOf(asOfValue);
    const reader = await this.resolve(actor, organizationId);
    if (!asOf) return { caller: reader, reader, store: this.reads, now };
    if (!this.readsWholeOrganization(reader, now)) {
      throw new DomainError(
        'forbidden',
        'AS_OF_NOT_ALLOWED',
        'Support, auditors and org admins read the past; others read now.',
      );
    }
    const past = await this.history.at(organizationId, asOf);
    const store = new ProjectAccessReads(new PastDocumentStore(past), () => past);
    const organization = (await store.get(
      Collections.organizations,
      organizationId,
    )) as OrganizationDocument;
    const judgedOn: JudgedOn = { state: past.state, now: past.time };
    const pastReader: Reader =
      reader.kind === 'api_key'
        ? { ...reader, organization, judgedOn }
        : { kind: 'operator', organization, judgedOn };
    return {
      caller: reader,
      reader: pastReader,
      store,
      now: past.time,
      asOf: { position: past.position, time: past.time },
    };
  }

  /**
   * Who reads the whole organization — checks about anyone (R31), as-of reads (R33), the
   * audit log (R34), access changes (R39): support, auditors, org admins, and API keys holding
   * the whole admin namespace. One rule for every such route.
   */
  readsWholeOrganization(reader: Reader, now: string): boolean {
    if (reader.kind === 'api_key') {
      const state = this.graphs.get(reader.organization.organizationId)?.state;
      return state !== undefined && apiKeyHoldsAdminNamespace(state, reader.keyId, now);
    }
    return this.seesEverything(reader);
  }

  /**
   * Whether the reader may do what `query` asks (R20-R29), as the access engine answers over
   * the organization's access graph: the one place the rules are decided. Support and
   * auditors read everything.
   */
  may(reader: Reader, query: AccessQuery): boolean {
    if (reader.kind === 'operator') return true;
    const judged = this.judgedOn(reader);
    if (!judged) return false;
    const subject =
      reader.kind === 'member'
        ? { type: 'user' as const, id: reader.member.userId }
        : { type: 'api_key' as const, id: reader.keyId };
    return check(judged.state, subject, query, { now: judged.now }).allowed;
  }

  /** Operators and org admins see the whole organization (R20, R22, R30). */
  seesEverything(reader: Reader): boolean {
    if (reader.kind === 'operator') return true;
    if (reader.kind !== 'member') return false;
    const graph = this.judgedOn(reader)?.state;
    return graph !== undefined && isOrgAdmin(graph, reader.member.userId);
  }

  /** The state the reader is judged on: the past one of an asOf view, else the live graph. */
  private judgedOn(reader: Reader): JudgedOn | undefined {
    if (reader.judgedOn) return reader.judgedOn;
    const state = this.graphs.get(reader.organization.organizationId)?.state;
    return state && { state, now: new Date().toISOString() };
  }

  async resolve(actor: Actor, organizationId: string): Promise<Reader> {
    const organization = (await this.store.get(Collections.organizations, organizationId)) as
      OrganizationDocument | undefined;
    if (!organization) throw notFound();
    switch (actor.type) {
      case 'support':
      case 'auditor':
        return { kind: 'operator', organization };
      case 'user': {
        const member = await this.memberOf(actor, organizationId);
        if (!member || member.status !== 'active') throw notFound();
        const role = (await this.store.get(
          Collections.roles,
          `${organizationId}:${member.roleId}`,
        )) as RoleDocument | undefined;
        return {
          kind: 'member',
          organization,
          member,
          permissions: new Set(role?.permissions ?? []),
        };
      }
      case 'api_key': {
        if (actor.organizationId !== organizationId) throw notFound();
        const key = (await this.store.get(
          Collections.apiKeyAudits,
          `${organizationId}:${actor.keyId}`,
        )) as ApiKeyAuditDocument | undefined;
        if (!key) throw notFound();
        return {
          kind: 'api_key',
          organization,
          keyId: key.keyId,
          permissions: new Set(key.effectivePermissions),
        };
      }
      default:
        throw notFound();
    }
  }

  /**
   * S5, the domain's judgement (identifyMember) over the members read model: a bound member
   * by identity only, a member not bound yet by email. Reads never bind: only a sign-in does.
   */
  private async memberOf(
    actor: UserActor,
    organizationId: string,
  ): Promise<MemberDocument | undefined> {
    let bound: MemberDocument | undefined;
    for (const key of identityKeysOf(actor)) {
      bound = await this.findMember({ organizationId, identityKey: key });
      if (bound) break;
    }
    const byEmail = bound
      ? undefined
      : await this.findMember({ organizationId, emailKey: normalizeEmail(actor.email) });
    return identifyMember(actor, bound, byEmail);
  }

  private async findMember(filter: Filter): Promise<MemberDocument | undefined> {
    const [member] = (await this.store.find(Collections.members, filter, {
      limit: 1,
    })) as MemberDocument[];
    return member;
  }
}

/** The member reading, for the per-user visibility rules (R20, R22, R29); keys have none. */
export function readingMember(reader: Reader): MemberDocument | undefined {
  if (reader.kind === 'api_key') {
    throw new DomainError(
      'forbidden',
      'API_KEY_NOT_ALLOWED',
      'API keys carry permissions, not workspace or project roles: read this as a member.',
    );
  }
  return reader.kind === 'member' ? reader.member : undefined;
}

export function requirePermission(reader: Reader, permission: string): void {
  if (reader.kind === 'operator' || reader.permissions.has(permission)) return;
  throw new DomainError(
    'forbidden',
    'MISSING_PERMISSION',
    reader.kind === 'api_key'
      ? `This API key lacks ${permission}: ask a member holding truora.keys to issue a key whose role holds it.`
      : `This needs the ${permission} permission: ask an org admin (a member holding truora.users) for a role that holds it.`,
    {
      missing: [permission],
    },
  );
}

export function notFound(code = 'ORGANIZATION_NOT_FOUND', what = 'organization'): DomainError {
  return new DomainError('not_found', code, `No such ${what}.`);
}
