import type { ApiKeyVerifier } from '#libs/auth';
import type { DocumentStore } from './document-store.port.js';
import { Collections, type CredentialDocument } from './documents.js';

/**
 * R15 for every service: a key's secret authenticates through the credentials read model,
 * found by the secret's hash; a revoked or expired key authenticates nothing.
 */
export function credentialsVerifier(store: DocumentStore): ApiKeyVerifier {
  return async (secretHash, now) => {
    const credential = (await store.get(Collections.credentials, secretHash)) as
      CredentialDocument | undefined;
    if (!credential || credential.status !== 'active') return undefined;
    if (credential.expiresAt !== null && credential.expiresAt <= now) return undefined;
    return { organizationId: credential.organizationId, keyId: credential.keyId };
  };
}
