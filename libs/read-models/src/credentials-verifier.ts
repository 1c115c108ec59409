import type { ApiKeyVerifier } from '#libs/auth';
import { isKeyLive } from '#libs/domain';
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
    // The domain's own judgement of R15, so reads stop the instant commands do.
    if (!credential || !isKeyLive(credential, now)) return undefined;
    return { organizationId: credential.organizationId, keyId: credential.keyId };
  };
}
