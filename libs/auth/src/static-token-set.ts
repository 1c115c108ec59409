import { hash, timingSafeEqual } from 'node:crypto';

/**
 * The configured support or auditor tokens (S4). Only their SHA-256 digests are kept in
 * memory, and a presented token is compared digest to digest in constant time, so neither a
 * heap dump nor response timing reveals a token.
 */
export class StaticTokenSet {
  private readonly digests: Buffer[];

  constructor(tokens: readonly string[]) {
    this.digests = tokens.map(tokenDigest);
  }

  /** The index of the matching token (a stable, non-secret id for the actor), or -1. */
  match(presented: string): number {
    return this.matchDigest(tokenDigest(presented));
  }

  /** As `match`, given the presented token's tokenDigest (computed once for every check). */
  matchDigest(candidate: Buffer): number {
    let found = -1;
    // Compare against every digest, without stopping early, so timing says nothing either.
    this.digests.forEach((known, index) => {
      if (timingSafeEqual(known, candidate) && found === -1) found = index;
    });
    return found;
  }
}

/** The SHA-256 of a presented token: how support tokens and verified JWTs are looked up. */
export function tokenDigest(token: string): Buffer {
  return hash('sha256', token, 'buffer');
}
