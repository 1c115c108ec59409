import { Inject, Injectable } from '@nestjs/common';
import {
  Collections,
  type ApiKeyAuditDocument,
  type Document,
  type DocumentStore,
} from '#libs/read-models';
import { notFound } from '../read-access.js';
import { DOCUMENT_STORE } from '../tokens.js';

/** A key as the audit shows it (R16), for members holding truora.keys and for support. */
@Injectable()
export class ApiKeyViews {
  constructor(@Inject(DOCUMENT_STORE) private readonly store: DocumentStore) {}

  async get(orgId: string, keyId: string, now: string) {
    const document = await this.store.get(Collections.apiKeyAudits, `${orgId}:${keyId}`);
    if (!document) throw notFound('API_KEY_NOT_FOUND', 'API key');
    return apiKeyView(document, now);
  }
}

/**
 * Expiry is judged at the time of the read; a revoked or expired key grants nothing (R15).
 * The document never holds a secret or its hash (S2).
 */
export function apiKeyView(document: Document, now: string) {
  const { _id, ...key } = document as ApiKeyAuditDocument;
  void _id;
  const expired = key.status === 'active' && key.expiresAt !== null && key.expiresAt <= now;
  const status = expired ? 'expired' : key.status;
  return {
    ...key,
    status,
    effectivePermissions: status === 'active' ? key.effectivePermissions : [],
  };
}
