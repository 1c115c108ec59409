import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The configured support or auditor tokens (S4). Only their SHA-256 digests are kept in
 * memory, and a presented token is compared digest to digest in constant time, so neither a
 * heap dump nor response timing reveals a token.
 */
export class StaticTokenSet {
  private readonly digests: Buffer[];

  constructor(tokens: readonly string[]) {
    this.digests = tokens.map(digest);
  }

  /** The index of the matching token (a stable, non-secret id for the actor), or -1. */
  match(presented: string): number {
    const candidate = digest(presented);
    let found = -1;
    // Compare against every digest, without stopping early, so timing says nothing either.
    this.digests.forEach((known, index) => {
      if (timingSafeEqual(known, candidate) && found === -1) found = index;
    });
    return found;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
