/**
 * How many snapshots a stream keeps (ADR 19). The latest few serve cold loads; the thinned
 * rest serve history reads at past points (R33), spread evenly over the whole stream so that
 * any point is at most about two spacings of events past a snapshot, whatever its age.
 */
export interface RetentionPolicy {
  /** The newest snapshots kept whatever their spacing. */
  keepLatest: number;
  /**
   * At most this many more, one per bucket of `spacing` revisions, the spacing doubling as the
   * stream grows so that the count stays bounded. 0: only the latest are kept.
   */
  maxThinned: number;
}

/** The command side only ever starts from the newest one; one spare survives a torn save. */
export const LATEST_ONLY: RetentionPolicy = { keepLatest: 2, maxThinned: 0 };

/** For history reads: 64 points across the stream, so a past point folds ~1/64 of it at most. */
export const SPREAD_OVER_HISTORY: RetentionPolicy = { keepLatest: 2, maxThinned: 64 };

/**
 * The spacing, in revisions, of the thinned snapshots of a stream whose newest snapshot is at
 * revision `head`: the smallest power of two that leaves at most `maxThinned` buckets.
 */
export function thinnedSpacing(head: number, policy: RetentionPolicy): number {
  let spacing = 1;
  while (Math.ceil((head + 1) / spacing) > policy.maxThinned) spacing *= 2;
  return spacing;
}

/** The revisions of `revisions` (one stream, one fold version, any order) that stay. */
export function revisionsToKeep(
  revisions: readonly number[],
  policy: RetentionPolicy,
): Set<number> {
  const newestFirst = [...new Set(revisions)].sort((a, b) => b - a);
  const keep = new Set(newestFirst.slice(0, policy.keepLatest));
  if (policy.maxThinned <= 0 || newestFirst.length === 0) return keep;
  const spacing = thinnedSpacing(newestFirst[0], policy);
  const buckets = new Set<number>();
  for (const revision of newestFirst) {
    const bucket = Math.floor(revision / spacing);
    if (buckets.has(bucket)) continue;
    buckets.add(bucket);
    keep.add(revision);
  }
  return keep;
}
