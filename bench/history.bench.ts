import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadSettings } from '#libs/config';
import { organizationStream } from '#libs/domain';
import { EVENTS_FILE, SqliteEventStore } from '#libs/event-store';
import {
  Collections,
  documentsOf,
  MemoryDocumentStore,
  PROJECTION_INDEXES,
  type DocumentChange,
} from '#libs/read-models';
import { isHistorySnapshotPoint } from '#libs/snapshots';
import { OrganizationHistory } from '../apps/query-service/src/history/organization-history.js';
import { createStandaloneApp } from '../apps/standalone/src/standalone.js';
import { generateHistory } from './projection-rebuild.bench.js';
import { header, progress, report } from './report.js';

/**
 * History reads, docs/benchmarks.md#targets and issue 10: as-of reads (R33) at random past
 * positions of a 1,000,000-event history — p50 under 20 ms, p99 under 100 ms (snapshots) — beside
 * the same read at the head; an audit-log page (R34) p50/p99 at the start, middle and end of a
 * large organization's log; access changes (R39) over a 100,000-event window (seconds, heap).
 *
 * The history is the rebuild bench's (generateHistory: the real decider over
 * OrganizationScript, 100 organizations) plus one organization 25 times as busy, interleaved —
 * about 20% of the events, so there is a 100,000-event window to review. It is written to a SQLite store in
 * a temporary data directory; the standalone app then boots over it in process (its projector
 * catches up) and every figure is an HTTP request on loopback, as support: the whole read path,
 * with whatever the app wires (persisted snapshots once it has them; none are prepared here).
 *
 * `HISTORY_BENCH_EVENTS=200000 npm run bench -- history` for a quicker, smaller run.
 */
const EVENTS = Number(process.env.HISTORY_BENCH_EVENTS ?? 1_000_000);
const SMALL_ORGANIZATIONS = 100;
/** The large organization decides this many times the commands of a small one: ~20% of events. */
const LARGE_WEIGHT = 25;
const WINDOW = 100_000;
const AUDIT_LIMIT = 100;
const SUPPORT_TOKEN = 'support-token-for-the-bench-0123456789abcdef';
const JWT_SECRET = 'jwt-secret-for-the-bench-0123456789abcdef';

const BAR_P50_MS = 20;
const BAR_P99_MS = 100;
/** Access changes longer than this are not retried on a narrower window: it is reported. */
const ACCESS_CHANGES_PATIENCE_MS = 120_000;

interface Organization {
  id: string;
  /** Global positions of its events, in order. */
  positions: string[];
}

export async function historyBench(): Promise<void> {
  if (!Number.isInteger(EVENTS) || EVENTS < 10_000) {
    throw new Error(
      `HISTORY_BENCH_EVENTS is at least 10000, not ${process.env.HISTORY_BENCH_EVENTS}`,
    );
  }
  const gc = collector();
  const dir = mkdtempSync(join(tmpdir(), 'bench-history-'));
  try {
    header(
      `history reads (${count(EVENTS)} events in ${SMALL_ORGANIZATIONS} small organizations and one ${LARGE_WEIGHT}x as busy)`,
    );

    // 1. The history, and the store's raw read rates over it.
    const store = new SqliteEventStore(join(dir, EVENTS_FILE), { pageSize: 5000 });
    let started = performance.now();
    const generated = await generate(store, EVENTS);
    note(
      `history: ${count(generated.events)} events from ${count(generated.commands)} commands (${count(generated.refused)} refused), generated in ${seconds(started)}`,
    );
    started = performance.now();
    let all = 0;
    for await (const _event of store.readAll()) {
      if (++all % 100_000 === 0) progress(`  readAll: ${count(all)} events`);
    }
    progress('');
    const readAllRate = all / ((performance.now() - started) / 1000);
    const organizations: Organization[] = [];
    for (let i = 0; i < SMALL_ORGANIZATIONS; i++) {
      organizations.push(await positionsOf(store, generated.ids[i]));
    }
    const largeOrg = await positionsOf(store, generated.ids[SMALL_ORGANIZATIONS]);
    const smallOrgs = [...organizations];
    organizations.push(largeOrg);
    const largeShare = largeOrg.positions.length / all;
    note(
      `organizations: ${SMALL_ORGANIZATIONS} of ~${count(smallOrgs[0].positions.length)} events, one of ${count(largeOrg.positions.length)} (${pct(largeOrg.positions.length, all)} of the history)`,
    );
    // The raw limit of an as-of read: reading the organization's stream, nothing else.
    const rawSmall = await latencies('readStream, small', 3000, 200, async () => {
      await store.readStream(organizationStream(pick(smallOrgs).id));
    });
    const rawLarge = await latencies('readStream, large', 5000, 20, async () => {
      await store.readStream(organizationStream(largeOrg.id));
    });
    await store.close();
    report('(raw) readAll + JSON.parse', readAllRate, readAllRate, 'events/s');
    report(
      `(raw) readStream, small org (~${count(smallOrgs[0].positions.length)} ev), p50`,
      us(rawSmall, 50),
      us(rawSmall, 50),
      'µs',
    );
    report(
      `(raw) readStream, large org (${count(largeOrg.positions.length)} ev), p50`,
      us(rawLarge, 50),
      us(rawLarge, 50),
      'µs',
    );
    note(
      `readStream rate, large org: ${count(largeOrg.positions.length / (ms(rawLarge, 50) / 1000))} events/s`,
    );

    // 2. The standalone app over that store: its projector catches up, then reads over HTTP.
    const settings = loadSettings({
      NODE_ENV: 'test',
      DATA_DIR: dir,
      JWT_SECRET,
      SUPPORT_TOKENS: SUPPORT_TOKEN,
    });
    started = performance.now();
    const { app, stores, projector } = await createStandaloneApp(settings, false);
    try {
      await app.listen(0, '127.0.0.1');
      // The service-level steps leave the client's pooled socket idle for seconds: past the
      // server's 5 s keep-alive, its next request would race the close (ECONNRESET).
      (app.getHttpServer() as { keepAliveTimeout: number }).keepAliveTimeout = 600_000;
      const head = await stores.eventStore.headPosition();
      const ticker = setInterval(() => {
        void projector
          .lag()
          .then((lag) => progress(`  projector catching up: ${count(lag)} behind`));
      }, 2000);
      const caughtUp = await projector.waitFor(head, 30 * 60_000).finally(() => {
        clearInterval(ticker);
        progress('');
      });
      if (!caughtUp) throw new Error(`the projector did not reach ${head}`);
      note(`app booted and projected ${count(all)} events in ${seconds(started)}`);
      note(`snapshots: ${snapshotProviders(app)}`);
      const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const get = async (path: string): Promise<string> => {
        const response = await fetch(`${base}${path}`, {
          headers: { Authorization: `Bearer ${SUPPORT_TOKEN}` },
        });
        const text = await response.text();
        if (response.status !== 200) {
          throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 300)}`);
        }
        return text;
      };

      // 3. As-of reads: GET members?asOf=<position>, beside the same read at the head.
      const members = (org: Organization, asOf?: string) =>
        `/v1/orgs/${org.id}/members${asOf ? `?asOf=${asOf}` : ''}`;
      const asOfRead = async (org: Organization) => {
        const position = org.positions[Math.floor(Math.random() * (org.positions.length - 1))];
        const body = JSON.parse(await get(members(org, position))) as {
          asOf?: { position: string };
        };
        if (body.asOf?.position !== position) {
          throw new Error(`asOf=${position} answered as of ${JSON.stringify(body.asOf)}`);
        }
      };
      const headSmall = await latencies('head read, small orgs', 3000, 500, () =>
        get(members(pick(smallOrgs))),
      );
      const headLarge = await latencies('head read, large org', 3000, 500, () =>
        get(members(largeOrg)),
      );
      // Cold reads: the first reads of the history fold from the first event (no snapshot
      // yet), then each leaves a snapshot at the first point it folds past.
      const cold = await latencies('as-of, cold (no snapshots yet)', 30_000, 20, async () => {
        await asOfRead(pick(organizations));
      });
      // Warm-up: the history's snapshot points (isHistorySnapshotPoint), each read once in
      // order, so each folds from the one before it. A deployment gets there by being read.
      started = performance.now();
      let points = 0;
      for (const org of organizations) {
        for (let revision = 0; revision < org.positions.length; revision++) {
          if (!isHistorySnapshotPoint(revision, settings.snapshots.every)) continue;
          await get(members(org, org.positions[revision]));
          if (++points % 50 === 0) progress(`  warm-up: ${count(points)} snapshot points`);
        }
      }
      progress('');
      note(`warm-up: ${count(points)} snapshot points read in ${seconds(started)}`);
      // Random past positions of the whole history: an organization is drawn in proportion
      // to its events, so the large one answers about a fifth of them.
      const mixed: number[] = [];
      const mixedLarge: number[] = [];
      await latencies('as-of, random positions of the history', 60_000, 300, async () => {
        const org = Math.random() < largeShare ? largeOrg : pick(smallOrgs);
        const t = performance.now();
        await asOfRead(org);
        (org === largeOrg ? mixedLarge : mixed).push(performance.now() - t);
      });
      const everyMixed = [...mixed, ...mixedLarge].sort((a, b) => a - b);
      const asOfSmall = await latencies('as-of, small orgs', 10_000, 200, () =>
        asOfRead(pick(smallOrgs)),
      );
      const asOfLarge = await latencies('as-of, large org', 30_000, 50, () => asOfRead(largeOrg));
      const headAll = [...headSmall, ...headLarge].sort((a, b) => a - b);
      report(
        '(raw) head read members, small orgs, p50',
        us(headSmall, 50),
        us(headSmall, 50),
        'µs',
      );
      report('(raw) head read members, large org, p50', us(headLarge, 50), us(headLarge, 50), 'µs');
      latencyRows(`as-of, cold, before any snapshot (n=${cold.length})`, cold, headAll);
      latencyRows(`as-of, random history positions (n=${everyMixed.length})`, everyMixed, headAll);
      latencyRows(`as-of, small orgs (n=${asOfSmall.length})`, asOfSmall, headSmall);
      latencyRows(`as-of, large org (n=${asOfLarge.length})`, asOfLarge, headLarge);
      note(
        `readStream share of an as-of read, p50: small ${pct(ms(rawSmall, 50), ms(asOfSmall, 50))}, large ${pct(ms(rawLarge, 50), ms(asOfLarge, 50))}`,
      );
      for (const [what, sample] of [
        ['random positions of the history', everyMixed],
        ['small organizations', asOfSmall],
        ['the large organization', asOfLarge],
      ] as const) {
        const p50 = ms(sample, 50);
        const p99 = ms(sample, 99);
        console.log(
          `      target, as-of, ${what}: p50 ${p50.toFixed(1)} ms < ${BAR_P50_MS}: ${met(p50 < BAR_P50_MS)}; p99 ${p99.toFixed(1)} ms < ${BAR_P99_MS}: ${met(p99 < BAR_P99_MS)}`,
        );
      }

      // Where an as-of read of the large organization goes, at the service level.
      const history = app.get(OrganizationHistory, { strict: false });
      const split = { at: 0, documents: 0, reads: 0 };
      for (let i = 0; i < 5; i++) {
        const position = largeOrg.positions[Math.floor(largeOrg.positions.length * (0.5 + i / 10))];
        let t = performance.now();
        const past = await history.at(largeOrg.id, { kind: 'position', position });
        split.at += performance.now() - t;
        t = performance.now();
        await storeOf(past.state, past.position);
        split.documents += performance.now() - t;
        split.reads += 1;
      }
      note(
        `large org, service level (positions 50–90% in): OrganizationHistory.at ${(split.at / split.reads).toFixed(0)} ms (readStream ${ms(rawLarge, 50).toFixed(0)} ms of it), documentsOf + store ${(split.documents / split.reads).toFixed(0)} ms`,
      );

      // 4. Audit-log pages of the large organization at its start, middle and end.
      const auditPath = (cursor?: string) =>
        `/v1/orgs/${largeOrg.id}/audit-log?limit=${AUDIT_LIMIT}${cursor ? `&cursor=${cursor}` : ''}`;
      const n = largeOrg.positions.length;
      const pages: Array<[string, string | undefined]> = [
        ['start', undefined],
        ['middle', largeOrg.positions[Math.floor(n / 2)]],
        ['end', largeOrg.positions[n - AUDIT_LIMIT * 3]],
      ];
      let auditP99 = 0;
      for (const [where, cursor] of pages) {
        const sample = await latencies(`audit-log page, ${where}`, 15_000, 200, async () => {
          const body = JSON.parse(await get(auditPath(cursor))) as { items: unknown[] };
          if (body.items.length === 0) throw new Error(`the ${where} audit page is empty`);
        });
        auditP99 = Math.max(auditP99, ms(sample, 99));
        latencyRows(
          `audit-log page of ${AUDIT_LIMIT}, ${where} (n=${sample.length})`,
          sample,
          headLarge,
        );
      }
      note(`audit-log page p99, worst of the three: ${auditP99.toFixed(1)} ms (no target)`);

      // 5. Access changes over a 100,000-event window of the large organization.
      const window = Math.min(WINDOW, Math.floor(n / 2));
      const fromIndex = Math.floor((n - window) / 2);
      const from = largeOrg.positions[fromIndex - 1];
      const to = largeOrg.positions[fromIndex - 1 + window];
      gc();
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      let heapPeak = heapBefore;
      const sampler = setInterval(() => {
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      }, 10);
      started = performance.now();
      const tick = setInterval(
        () => progress(`  access changes over ${count(window)} events: ${seconds(started)}`),
        1000,
      );
      const body = await get(
        `/v1/orgs/${largeOrg.id}/access-changes?from=${from}&to=${to}`,
      ).finally(() => {
        clearInterval(tick);
        clearInterval(sampler);
        progress('');
      });
      const elapsed = (performance.now() - started) / 1000;
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      const changes = (JSON.parse(body) as { changes: unknown[] }).changes.length;
      report(
        `access changes, ${count(window)}-event window, ms`,
        elapsed * 1000,
        ms(rawLarge, 50),
        'ms (raw: readStream of the org)',
      );
      report(
        'access changes, heap added (peak sampled), MiB',
        (heapPeak - heapBefore) / 2 ** 20,
        0,
        'MiB',
      );
      note(
        `access changes: ${count(changes)} changes, ${(body.length / 2 ** 20).toFixed(1)} MiB of JSON, window from ${count(fromIndex)} to ${count(fromIndex + window)} of ${count(n)} events; ${window / elapsed > 0 ? count(window / elapsed) : 0} window events/s`,
      );
      if (elapsed * 1000 > ACCESS_CHANGES_PATIENCE_MS) {
        note(`access changes took longer than ${ACCESS_CHANGES_PATIENCE_MS / 1000} s`);
      }
      note(
        `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (generation and the app's in-memory read models included)`,
      );
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The rebuild bench's history (same script, same decider, one group-committed append per
 * organization a round) with UUID organization ids — the HTTP routes accept nothing else — and
 * a large organization deciding LARGE_WEIGHT times as many commands a round as each small one,
 * so its events are interleaved with theirs through the whole history.
 */
async function generate(
  store: SqliteEventStore,
  events: number,
): Promise<{ events: number; commands: number; refused: number; ids: string[] }> {
  const ids = Array.from(
    { length: SMALL_ORGANIZATIONS + 1 },
    (_, i) => `0be4c4b0-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
  );
  const weights = ids.map((_, i) => (i === SMALL_ORGANIZATIONS ? LARGE_WEIGHT : 1));
  const generated = await generateHistory(store, events, ids.length, 1, {
    organizationIds: ids,
    weights,
  });
  return { ...generated, ids };
}

async function positionsOf(store: SqliteEventStore, id: string): Promise<Organization> {
  const events = await store.readStream(organizationStream(id));
  if (events.length < 2) throw new Error(`organization ${id} has ${events.length} events`);
  return { id, positions: events.map((event) => event.position) };
}

/** What ReadAccess does with a past organization: its documents, in a store of their own. */
async function storeOf(state: Parameters<typeof documentsOf>[0], position: string) {
  const store = new MemoryDocumentStore(PROJECTION_INDEXES);
  const changes: DocumentChange[] = Object.entries(documentsOf(state))
    .filter(([collection]) => collection !== Collections.credentials)
    .flatMap(([collection, documents]) =>
      documents.map((document) => ({ type: 'put' as const, collection, document })),
    );
  await store.apply(changes, [], position);
  return store;
}

/**
 * Latencies in ms of `body`, run one at a time until `budgetMs` is spent or `max` samples are
 * taken (at least 3), after one unmeasured warm-up; sorted ascending.
 */
async function latencies(
  label: string,
  budgetMs: number,
  max: number,
  body: () => Promise<unknown>,
): Promise<number[]> {
  await body();
  const sample: number[] = [];
  const start = performance.now();
  let lastPrint = start;
  while (sample.length < 3 || (sample.length < max && performance.now() - start < budgetMs)) {
    const t = performance.now();
    await body();
    const now = performance.now();
    sample.push(now - t);
    if (now - lastPrint >= 1000) {
      lastPrint = now;
      progress(`  ${label}: ${sample.length} reads, ${((now - start) / 1000).toFixed(0)} s`);
    }
  }
  progress('');
  return sample.sort((a, b) => a - b);
}

/** p50 and p99 in µs (report() prints integers), beside the same percentile of `head`. */
function latencyRows(name: string, sample: number[], head: number[]): void {
  report(`${name}, p50`, us(sample, 50), us(head, 50), 'µs (raw: same read at the head)');
  report(`${name}, p99`, us(sample, 99), us(head, 99), 'µs (raw: same read at the head)');
}

const us = (sorted: number[], percentile: number) => 1000 * ms(sorted, percentile);

/** Nearest-rank percentile of a sorted sample; with fewer than 100 samples p99 is the max. */
function ms(sorted: number[], percentile: number): number {
  const rank = Math.ceil((percentile / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Providers of the app whose name says snapshot: what an as-of read may start from. */
function snapshotProviders(app: { get: unknown }): string {
  const container = (app as unknown as { container?: { getModules(): Map<string, Module> } })
    .container;
  const names = new Set<string>();
  for (const module of container?.getModules().values() ?? []) {
    for (const key of module.providers.keys()) {
      const name = typeof key === 'function' ? key.name : String(key);
      if (/snapshot/i.test(name)) names.add(name);
    }
  }
  return names.size > 0
    ? `the app wires ${[...names].join(', ')} (used as the app uses it)`
    : 'none wired in this build (every as-of read folds from the first event)';
}

interface Module {
  providers: Map<unknown, unknown>;
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

function collector(): () => void {
  if (global.gc) return () => global.gc?.();
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');
const note = (line: string) => console.log(`    ${line}`);
const count = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const pct = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;
