import { isHistorySnapshotPoint } from './organization-history-snapshot.js';
import { revisionsToKeep, SPREAD_OVER_HISTORY, thinnedSpacing } from './retention.js';

describe('history snapshot points', () => {
  it.each([1, 3, 1000])(
    'R33 points are at least `every` (%i) apart and retention keeps one a spacing apart',
    (every) => {
      for (const head of [10, 5_000, 100_000]) {
        const points: number[] = [];
        for (let revision = 0; revision <= head; revision++) {
          if (isHistorySnapshotPoint(revision, every)) points.push(revision);
        }
        if (points.length === 0) continue;
        const gaps = (revisions: number[]) =>
          revisions.slice(1).map((revision, i) => revision - revisions[i]);
        expect(Math.min(...gaps(points))).toBeGreaterThanOrEqual(every);

        // Every point a read could have saved, thinned: none of the buckets is left without
        // its point, so no read folds more than a spacing (of the stream or of `every`).
        const kept = [...revisionsToKeep(points, SPREAD_OVER_HISTORY)].sort((a, b) => a - b);
        const spacing = Math.max(every, thinnedSpacing(points.at(-1)!, SPREAD_OVER_HISTORY));
        expect(kept[0]).toBeLessThan(2 * spacing);
        expect(Math.max(0, ...gaps(kept))).toBeLessThanOrEqual(2 * spacing);
        expect(kept.length).toBeLessThanOrEqual(
          SPREAD_OVER_HISTORY.keepLatest + SPREAD_OVER_HISTORY.maxThinned,
        );
      }
    },
  );

  it('R33 a point saved stays a point the stream keeps until the stream has grown past it', () => {
    // Saved in any order (reads come at random), the points up to a head are all kept while
    // the head is within the spacing they were cut at.
    const every = 8;
    const points = Array.from({ length: 40 }, (_, i) => i * 8 + 7).filter((r) =>
      isHistorySnapshotPoint(r, every),
    );
    const kept = revisionsToKeep(points, SPREAD_OVER_HISTORY);
    expect(points.every((point) => kept.has(point))).toBe(true);
  });
});
