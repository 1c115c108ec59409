import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Authenticator, mintDevelopmentToken } from '#libs/auth';
import { loadSettings } from '#libs/config';
import { newEventId, SqliteEventStore, type NewEvent } from '#libs/event-store';
import { HttpCoreModule } from '#libs/http';
import { ChangeFeedModule, SseParser } from '#libs/messaging';
import { InMemoryPublisher } from '../apps/publisher/src/in-memory-publisher.js';
import { PublisherRelay } from '../apps/publisher/src/publisher-relay.js';
import { SqliteCheckpointStore } from '../apps/publisher/src/sqlite-checkpoint-store.js';
import { header, measure, report } from './report.js';

/**
 * The change feed's two outlets, each beside the raw limit of what it must do first — read the
 * events back from the store (readAll, measured in the same run, same file):
 * (a) relay -> in-memory publisher, checkpoint (SQLite, fsync) after each acknowledged batch;
 * (b) the SSE feed over real HTTP on loopback, every organization (support);
 * (c) the SSE feed of one organization (catch-up from its stream, folded for S1).
 */
const ORGANIZATIONS = 5;
const EVENTS_PER_ORGANIZATION = 20_000;
const ROUNDS = 3;
const SUPPORT_TOKEN = 'support-token-for-the-bench-0123456789abcdef';

export async function publisherBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-publisher-'));
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  try {
    header(`change feed (${ORGANIZATIONS * EVENTS_PER_ORGANIZATION} events, SQLite store)`);
    const organizations = await seed(store);
    const total = ORGANIZATIONS * EVENTS_PER_ORGANIZATION;
    const head = await store.headPosition();

    const readAll = async () =>
      measure('readAll (raw)', Infinity, async (loop) => {
        for await (const _event of store.readAll()) loop.add(1);
      });

    let raw = 0;
    let relayed = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      raw += await readAll();
      relayed += await measure(`relay, round ${round}/${ROUNDS}`, Infinity, async (loop) => {
        const publisher = new InMemoryPublisher();
        const checkpoints = new SqliteCheckpointStore(join(dir, `checkpoints-${round}.sqlite`));
        const relay = new PublisherRelay(store, publisher, checkpoints);
        await relay.start();
        await relay.waitFor(head, 600_000);
        await relay.stop();
        await checkpoints.close();
        if (publisher.records.length !== total) throw new Error('The relay lost events.');
        loop.add(total);
      });
    }
    report(
      '(a) relay -> in-memory publisher, batches of 500',
      relayed / ROUNDS,
      raw / ROUNDS,
      'events/s',
    );

    const settings = loadSettings({
      NODE_ENV: 'test',
      DATA_DIR: dir,
      JWT_SECRET: 'jwt-secret-for-the-bench-0123456789abcdef',
      SUPPORT_TOKENS: SUPPORT_TOKEN,
    });
    const app = await NestFactory.create(
      {
        module: FeedBenchApp,
        imports: [
          HttpCoreModule.forRoot(new Authenticator(settings)),
          ChangeFeedModule.forRoot(store),
        ],
      },
      { logger: false },
    );
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    try {
      let sseRaw = 0;
      let sse = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        sseRaw += await readAll();
        sse += await measure(`SSE, all, round ${round}/${ROUNDS}`, Infinity, async (loop) => {
          loop.add(await readFeed(`${base}/v1/support/changes`, SUPPORT_TOKEN, total));
        });
      }
      report(
        '(b) SSE feed, every organization, loopback HTTP',
        sse / ROUNDS,
        sseRaw / ROUNDS,
        'events/s',
      );

      const memberToken = await mintDevelopmentToken(settings.jwt, {
        subject: 'sub-bench',
        email: organizations[0].email,
      });
      let orgRaw = 0;
      let org = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        orgRaw += await readAll();
        org += await measure(
          `SSE, one organization, round ${round}/${ROUNDS}`,
          Infinity,
          async (loop) => {
            const url = `${base}/v1/orgs/${organizations[0].organizationId}/changes`;
            loop.add(await readFeed(url, memberToken, EVENTS_PER_ORGANIZATION));
          },
        );
      }
      report(
        `(c) SSE feed, one organization (${EVENTS_PER_ORGANIZATION} events)`,
        org / ROUNDS,
        orgRaw / ROUNDS,
        'events/s',
      );
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

@Module({})
class FeedBenchApp {}

/** Reads `count` events of a feed, parsing SSE and each envelope's JSON as a client would. */
async function readFeed(url: string, token: string, count: number): Promise<number> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  if (response.status !== 200) throw new Error(`The feed answered ${response.status}.`);
  const parser = new SseParser();
  const decoder = new TextDecoder();
  let received = 0;
  try {
    for await (const chunk of response.body as ReadableStream<Uint8Array>) {
      for (const message of parser.push(decoder.decode(chunk, { stream: true }))) {
        JSON.parse(message.data);
        if (++received === count) return received;
      }
    }
  } finally {
    abort.abort();
  }
  throw new Error(`The feed ended after ${received} of ${count} events.`);
}

/** Organizations, each created then inviting members, appended in batches of 100 events. */
async function seed(store: SqliteEventStore): Promise<{ organizationId: string; email: string }[]> {
  const organizations = Array.from({ length: ORGANIZATIONS }, () => ({
    organizationId: randomUUID(),
    email: `admin-${randomUUID()}@bench.test`,
  }));
  await Promise.all(
    organizations.map(async ({ organizationId, email }) => {
      const stream = `organization-${organizationId}`;
      const meta = (): NewEvent['metadata'] => ({
        organizationId,
        schemaVersion: 1,
        actor: { type: 'user', id: 'sub-bench' },
        correlationId: randomUUID(),
        causationId: randomUUID(),
      });
      const created: NewEvent = {
        id: newEventId(),
        type: 'OrganizationCreated',
        data: {
          organizationId,
          name: 'Bench',
          catalog: ['checks.read', 'truora.keys', 'truora.users'],
          firstMember: { userId: randomUUID(), email },
          defaultWorkspaceId: randomUUID(),
        },
        metadata: meta(),
      };
      const invited = (i: number): NewEvent => ({
        id: newEventId(),
        type: 'MemberInvited',
        data: {
          userId: randomUUID(),
          email: `member-${i}@bench.test`,
          roleId: 'default_access',
          invitedBy: null,
        },
        metadata: meta(),
      });
      let batch: NewEvent[] = [created];
      for (let i = 1; i < EVENTS_PER_ORGANIZATION; i++) {
        batch.push(invited(i));
        if (batch.length === 100) {
          await store.append(stream, batch, 'any');
          batch = [];
        }
      }
      if (batch.length > 0) await store.append(stream, batch, 'any');
    }),
  );
  return organizations;
}
