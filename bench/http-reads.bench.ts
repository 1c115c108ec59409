import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Module, Req, Res, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mintDevelopmentToken } from '#libs/auth';
import { loadSettings } from '#libs/config';
import { createStandaloneApp } from '../apps/standalone/src/standalone.js';
import {
  appendOrganization,
  generateFacts,
  STATUS_ACTIVE,
  type DatasetShape,
  type Facts,
} from './access-dataset.js';
import type { LoadJob, LoadResult, Target } from './http-load.js';
import { header, progress, report } from './report.js';

/**
 * HTTP reads, docs/benchmarks.md#targets and issue 11: a members page
 * (`GET /v1/orgs/:orgId/members`, 100 of them) and a project's members
 * (`GET …/projects/:projectId/members`, R28) on the standalone app, read by a member with a JWT,
 * beside a bare `node:http` server answering the same request with the same status, headers and
 * bytes (the raw limit: what Node itself costs per request on this machine), and beside the floor
 * of the framework: a Nest app on Express whose one controller writes those same bytes. Throughput
 * from 16 keep-alive sockets, one request in flight on each, the two servers in alternating rounds;
 * then latency at a fixed 1,000 requests/s (the bar: p99 under 10 ms).
 *
 * The server under test keeps the bench's process; the load generator (bench/http-load.ts)
 * runs in a child process, so on two cores each has one. Beside the rates, the CPU time the
 * bench's process spent per request (process.cpuUsage, both servers alike): on a machine
 * shared with other work the rates follow whoever else runs, the CPU time much less. The organization is the checks bench's
 * dataset (bench/access-dataset.ts) at 5,000 members, appended straight to the app's store.
 *
 * `HTTP_BENCH_PROFILE=<dir>` writes a V8 CPU profile of the app's main thread under the
 * closed-loop load of each read (`<dir>/<read>.cpuprofile`), for `node --cpu-prof`-style
 * analysis without the setup or the bare server in it.
 */
const SHAPE: DatasetShape = {
  members: 5_000,
  groups: 50,
  projects: 500,
  workspaces: 5,
  queries: 0,
  seed: 11,
};
const ROUNDS = 3;
const ROUND_MS = 3_000;
const CONNECTIONS = 16;
const FIXED_RATE = 1_000;
const FIXED_RATE_MS = 10_000;
const JWT_SECRET = 'jwt-secret-for-the-bench-0123456789abcdef';

const BAR_RATIO = 0.5;
const BAR_P99_MS = 10;

interface Read {
  name: string;
  path: string;
}

export async function httpReadsBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-http-reads-'));
  const settings = loadSettings({
    NODE_ENV: 'test',
    DATA_DIR: dir,
    JWT_SECRET,
    // The dataset's members are bound to this issuer and `sub-<userId>` (already signed in).
    JWT_ISSUER: 'bench-issuer',
  });
  const { app, stores, projector } = await createStandaloneApp(settings, false);
  const load = new LoadGenerator();
  let bare: Server | undefined;
  let floor: INestApplication | undefined;
  try {
    await app.listen(0, '127.0.0.1');
    const appPort = (app.getHttpServer() as Server).address() as AddressInfo;
    const facts = generateFacts(SHAPE);
    await appendOrganization(stores.eventStore, facts);
    const started = performance.now();
    if (!(await projector.waitFor(await stores.eventStore.headPosition(), 300_000))) {
      throw new Error('the projector did not catch up');
    }
    const { organizationId } = facts;
    const { reader, project } = readerAndProject(facts);
    header(
      `HTTP reads (${count(SHAPE.members)} members, ${count(SHAPE.projects)} projects; ${CONNECTIONS} keep-alive sockets, figure and a bare node:http server in alternating ${ROUND_MS / 1000} s rounds)`,
    );
    note(`organization projected in ${seconds(started)}`);

    const token = await mintDevelopmentToken(settings.jwt, {
      subject: `sub-${facts.userIds[reader]}`,
      email: facts.emails[reader],
    });

    const reads: Read[] = [
      { name: 'members page (100)', path: `/v1/orgs/${organizationId}/members` },
      {
        name: 'project members',
        path: `/v1/orgs/${organizationId}/projects/${project}/members`,
      },
    ];
    const request = (path: string) =>
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nAccept: application/json\r\n\r\n`;

    // The bare server answers each path exactly as the app did once: status, headers, bytes.
    const answers = new Map<string, Answer>();
    for (const read of reads) {
      const answer = await answerOf(appPort.port, request(read.path));
      if (answer.status !== 200) {
        throw new Error(`GET ${read.path} answered ${answer.status}: ${answer.body.toString()}`);
      }
      answers.set(read.path, answer);
      note(
        `${read.name}: ${count(answer.body.length)} bytes, ${(JSON.parse(answer.body.toString()) as { items: unknown[] }).items.length} items`,
      );
    }
    bare = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
      const answer = answers.get(req.url ?? '');
      if (!answer) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => bare!.listen(0, '127.0.0.1', resolve));
    const barePort = (bare.address() as AddressInfo).port;
    (app.getHttpServer() as Server).keepAliveTimeout = 60_000;
    floor = await sameBytesOnNest(answers);
    const floorPort = ((floor.getHttpServer() as Server).address() as AddressInfo).port;

    const profileDir = process.env.HTTP_BENCH_PROFILE;
    for (const read of reads) {
      const answer = answers.get(read.path)!;
      const target = (port: number): Target => ({
        port,
        request: request(read.path),
        status: 200,
        bodyLength: answer.body.length,
      });
      const closed = async (port: number) => {
        const before = process.cpuUsage();
        const result = await load.run({
          kind: 'closed',
          connections: CONNECTIONS,
          ms: ROUND_MS,
          ...target(port),
        });
        const used = process.cpuUsage(before);
        return { result, cpuUs: (used.user + used.system) / result.completed };
      };
      // A warm-up round each, so both are measured with their code optimised.
      await closed(barePort);
      await closed(appPort.port);
      await closed(floorPort);
      let figure = 0;
      let raw = 0;
      let floorRate = 0;
      let figureCpu = 0;
      let rawCpu = 0;
      let floorCpu = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        progress(`  ${read.name}: round ${round}/${ROUNDS}`);
        const bareRound = await closed(barePort);
        const floorRound = await closed(floorPort);
        const appRound = await closed(appPort.port);
        raw += rate(bareRound.result);
        floorRate += rate(floorRound.result);
        figure += rate(appRound.result);
        rawCpu += bareRound.cpuUs;
        floorCpu += floorRound.cpuUs;
        figureCpu += appRound.cpuUs;
      }
      progress('');
      figure /= ROUNDS;
      raw /= ROUNDS;
      floorRate /= ROUNDS;
      figureCpu /= ROUNDS;
      rawCpu /= ROUNDS;
      floorCpu /= ROUNDS;
      report(`${read.name}, requests/s`, figure, raw, 'req/s (raw: bare node:http)');
      report(`${read.name}, CPU per request, µs`, figureCpu, rawCpu, 'µs (ratio: app / bare)');
      report(`(floor) Nest on Express, same bytes, requests/s`, floorRate, raw, 'req/s');
      report(`(floor) Nest on Express, same bytes, CPU/request`, floorCpu, rawCpu, 'µs');
      note(
        `on a core of its own, CPU time says the app would serve ${(rawCpu / figureCpu).toFixed(2)} of the bare server's rate`,
      );

      const fixed = (port: number) =>
        load.run({
          kind: 'rate',
          perSecond: FIXED_RATE,
          ms: FIXED_RATE_MS,
          connections: 32,
          ...target(port),
        });
      progress(`  ${read.name}: ${FIXED_RATE} req/s on the bare server`);
      const bareLatency = await fixed(barePort);
      progress(`  ${read.name}: ${FIXED_RATE} req/s on the app`);
      const appLatency = await fixed(appPort.port);
      progress('');
      const [bare50, bare99] = percentiles(bareLatency.latencies!, [50, 99]);
      const [app50, app99] = percentiles(appLatency.latencies!, [50, 99]);
      report(
        `${read.name}, p50 at ${count(FIXED_RATE)} req/s, µs`,
        app50 * 1000,
        bare50 * 1000,
        'µs',
      );
      report(
        `${read.name}, p99 at ${count(FIXED_RATE)} req/s, µs`,
        app99 * 1000,
        bare99 * 1000,
        'µs',
      );
      if (appLatency.queued || bareLatency.queued) {
        note(
          `requests that waited for a free socket: app ${appLatency.queued}, bare ${bareLatency.queued}`,
        );
      }
      note(
        `the client's largest send delay: app ${appLatency.maxSendDelayMs!.toFixed(1)} ms, bare ${bareLatency.maxSendDelayMs!.toFixed(1)} ms`,
      );
      bar(
        `${read.name}: at least ${BAR_RATIO} of bare node:http`,
        figure / raw >= BAR_RATIO,
        `${(figure / raw).toFixed(2)}`,
      );
      bar(
        `${read.name}: p99 under ${BAR_P99_MS} ms at ${count(FIXED_RATE)} req/s`,
        app99 < BAR_P99_MS,
        `${app99.toFixed(2)} ms`,
      );

      if (profileDir) {
        const session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 100 });
        await session.post('Profiler.start');
        const profiled = await closed(appPort.port);
        const { profile } = await session.post('Profiler.stop');
        session.disconnect();
        const file = join(profileDir, `${read.name.replace(/\W+/g, '-')}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        note(
          `CPU profile of ${count(profiled.result.completed)} requests (${profiled.cpuUs.toFixed(0)} µs of CPU each, profiler included): ${file}`,
        );
      }
    }
  } finally {
    load.close();
    await new Promise((resolve) => (bare ? bare.close(resolve) : resolve(undefined)));
    await floor?.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The floor of the stack the app is built on: a Nest app on Express with nothing but one
 * controller that writes the same status, headers and bytes (no guard, pipe, interceptor,
 * store or serialisation). What the app costs above it is the app's own; what it costs above
 * the bare server, the framework's.
 */
async function sameBytesOnNest(answers: Map<string, Answer>): Promise<INestApplication> {
  @Controller()
  class SameBytesController {
    @Get('v1/orgs/:orgId/members')
    members(@Req() request: IncomingMessage, @Res() response: ServerResponse): void {
      answer(request, response);
    }

    @Get('v1/orgs/:orgId/projects/:projectId/members')
    projectMembers(@Req() request: IncomingMessage, @Res() response: ServerResponse): void {
      answer(request, response);
    }
  }
  const answer = (request: IncomingMessage, response: ServerResponse) => {
    const { status, headers, body } = answers.get(request.url ?? '')!;
    response.writeHead(status, headers);
    response.end(body);
  };
  @Module({ controllers: [SameBytesController] })
  class SameBytesModule {}
  const app = await NestFactory.create(SameBytesModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  (app.getHttpServer() as Server).keepAliveTimeout = 60_000;
  return app;
}

/** An active member, not an org admin, who owns a live project: they read both pages. */
function readerAndProject(facts: Facts): { reader: number; project: string } {
  for (const project of facts.projects) {
    const u = project.ownerUser;
    if (project.live && u >= 0 && facts.status[u] === STATUS_ACTIVE && !facts.fullAccess[u]) {
      return { reader: u, project: project.id };
    }
  }
  throw new Error('the dataset has no project owned by a plain active member');
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** One request on a fresh socket, answered in full: what the bare server will repeat. */
async function answerOf(port: number, request: string): Promise<Answer> {
  const [line, ...headerLines] = request.split('\r\n');
  const path = line.split(' ')[1];
  const headers: Record<string, string> = {};
  for (const headerLine of headerLines) {
    const colon = headerLine.indexOf(':');
    if (colon > 0) headers[headerLine.slice(0, colon)] = headerLine.slice(colon + 1).trim();
  }
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
  const body = Buffer.from(await response.arrayBuffer());
  const kept: Record<string, string> = {};
  // Node writes these itself; every other header the app sent is sent by the bare server too.
  const own = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
  response.headers.forEach((value, name) => {
    if (!own.has(name)) kept[name] = value;
  });
  return { status: response.status, headers: kept, body };
}

/** The load generator in its own process, one job at a time. */
class LoadGenerator {
  private readonly child: ChildProcess = fork(new URL('./http-load.js', import.meta.url), {
    serialization: 'advanced',
  });

  run(job: LoadJob): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      this.child.once('message', (message: { result?: LoadResult; error?: string }) =>
        message.error ? reject(new Error(`load: ${message.error}`)) : resolve(message.result!),
      );
      this.child.send(job);
    });
  }

  close(): void {
    this.child.disconnect();
  }
}

const rate = (result: LoadResult) => result.completed / result.seconds;

function percentiles(values: Float64Array, ps: number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  return ps.map((p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
}

function bar(name: string, met: boolean, figure: string): void {
  note(`target / issue 11, ${name}: ${figure} — ${met ? 'met' : 'NOT MET'}`);
}

const note = (line: string) => console.log(`    ${line}`);
const count = (n: number) => n.toLocaleString('en-US');
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
