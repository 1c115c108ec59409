import { Inject, Injectable } from '@nestjs/common';
import { check, isOrgAdmin, type AccessQuery } from '#libs/access';
import {
  DomainError,
  identifyMember,
  identityKeysOf,
  normalizeEmail,
  type Actor,
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
} from '#libs/read-models';
import { ACCESS_GRAPHS, DOCUMENT_STORE, type AccessGraphSource } from './tokens.js';

/** Who is reading, resolved against the organization's read models. */
export type Reader =
  /** Support and auditors see every organization (R16, R33). */
  | { kind: 'operator'; organization: OrganizationDocument }
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
    };

/**
 * Resolves the caller for a read (S1): anyone who is not an active member of the organization
 * — nor support, an auditor, or one of its own API keys — is told it does not exist.
 */
@Injectable()
export class ReadAccess {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly store: DocumentStore,
    @Inject(ACCESS_GRAPHS) private readonly graphs: AccessGraphSource,
  ) {}

  /**
   * Whether the reader may do what `query` asks (R20-R29), as the access engine answers over
   * the organization's access graph: the one place the rules are decided. Support and
   * auditors read everything.
   */
  may(reader: Reader, query: AccessQuery): boolean {
    if (reader.kind === 'operator') return true;
    const graph = this.graphs.get(reader.organization.organizationId)?.state;
    if (!graph) return false;
    const subject =
      reader.kind === 'member'
        ? { type: 'user' as const, id: reader.member.userId }
        : { type: 'api_key' as const, id: reader.keyId };
    return check(graph, subject, query, { now: new Date().toISOString() }).allowed;
  }

  /** Operators and org admins (SPEC §2) see the whole organization (R20, R22, R30). */
  seesEverything(reader: Reader): boolean {
    if (reader.kind === 'operator') return true;
    if (reader.kind !== 'member') return false;
    const graph = this.graphs.get(reader.organization.organizationId)?.state;
    return graph !== undefined && isOrgAdmin(graph, reader.member.userId);
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
    `This needs the ${permission} permission.`,
    {
      missing: [permission],
    },
  );
}

export function notFound(code = 'ORGANIZATION_NOT_FOUND', what = 'organization'): DomainError {
  return new DomainError('not_found', code, `No such ${what}.`);
}
