import { BadRequestException, Injectable } from '@nestjs/common';
import { apiKeyStatus, type ApiKeyStatus } from '#libs/domain';
import { Collections, type ApiKeyAuditDocument, type Document } from '#libs/read-models';
import type { Page, PageRequest } from '../pagination.js';
import { notFound, type ReadView } from '../read-access.js';

export const API_KEY_STATUSES: readonly ApiKeyStatus[] = ['active', 'revoked', 'expired'];

/**
 * A key as the audit shows it (R16), for members holding truora.keys and for support: read
 * from the view's store and judged at the view's `now` — the live read models now, or a past
 * point at its own time (R33), so a key that expired since was still active then (R15).
 */
@Injectable()
export class ApiKeyViews {
  async get({ store, now }: ReadView, orgId: string, keyId: string): Promise<ApiKeyView> {
    const document = await store.get(Collections.apiKeyAudits, `${orgId}:${keyId}`);
    if (!document) throw notFound('API_KEY_NOT_FOUND', 'API key');
    return apiKeyView(document, now);
  }

  /**
   * One page of the organization's keys, optionally of one status at `now`. Expiry is not an
   * event, so the documents know only revocation: `active` and `expired` are both stored as
   * `active` and told apart here by R15's judgement, reading on until the page is full, so
   * that expired keys neither appear under `active` nor leave a page short.
   */
  async list(
    { store, now }: ReadView,
    orgId: string,
    status: ApiKeyStatus | undefined,
    page: PageRequest,
  ): Promise<Page<ApiKeyView>> {
    const filter = {
      organizationId: orgId,
      ...(status === undefined ? {} : { status: status === 'revoked' ? 'revoked' : 'active' }),
    };
    const items: ApiKeyView[] = [];
    let last: string | undefined;
    let after = page.after;
    for (;;) {
      // One more than asked: without a status filter, it tells whether a next page exists
      // without another query.
      const documents = await store.find(Collections.apiKeyAudits, filter, {
        limit: page.limit + 1,
        after,
      });
      for (const document of documents) {
        after = document._id;
        const view = apiKeyView(document, now);
        if (status !== undefined && view.status !== status) continue;
        // A match beyond a full page: there is a next page, and it starts after `last`.
        if (items.length === page.limit) return { items, nextCursor: cursorOf(last) };
        items.push(view);
        last = document._id;
      }
      if (documents.length <= page.limit) return { items, nextCursor: null };
      // Every document read so far was expired or live, not the status asked for: read on.
    }
  }
}

const cursorOf = (id: string | undefined): string | null =>
  id === undefined ? null : Buffer.from(id, 'utf8').toString('base64url');

/** `?status=`: one of the statuses a key can have at the time of the read. */
export function apiKeyStatusFilter(value: unknown): ApiKeyStatus | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (API_KEY_STATUSES as readonly string[]).includes(value)) {
    return value as ApiKeyStatus;
  }
  throw new BadRequestException({
    code: 'INVALID_STATUS',
    message: `status must be one of ${API_KEY_STATUSES.join(', ')}.`,
  });
}

export type ApiKeyView = Omit<ApiKeyAuditDocument, '_id' | 'status'> & { status: ApiKeyStatus };

/**
 * Expiry is judged at the time of the read, by the domain's R15 (apiKeyStatus, isKeyLive); a
 * revoked or expired key grants nothing. The document never holds a secret or its hash (S2).
 */
export function apiKeyView(document: Document, now: string): ApiKeyView {
  const { _id, ...key } = document as ApiKeyAuditDocument;
  void _id;
  const status = apiKeyStatus(key, now);
  return {
    ...key,
    status,
    effectivePermissions: status === 'active' ? key.effectivePermissions : [],
  };
}
