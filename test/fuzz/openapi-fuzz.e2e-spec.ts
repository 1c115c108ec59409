import type { AddressInfo } from 'node:net';
import {
  addActiveMember,
  AUDITOR_TOKEN,
  bearer,
  createOrganization,
  startTestApp,
  SUPPORT_TOKEN,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';
import {
  casesOf,
  randomCase,
  validCase,
  type ActorName,
  type CaseContext,
  type Category,
  type FuzzCase,
  type Fixtures,
} from './cases.js';
import { operationsOf, type OpenApiDocument, type Operation } from './openapi.js';
import { answerProblems, type AnsweredDocument } from '../support/openapi-answers.js';
import { Prng } from './prng.js';
import { RawClient, type RawAnswer } from './raw-client.js';

/**
 * R38 and S2 over the whole API, with no list of routes: every operation of the app's own
 * OpenAPI document is sent malformed JSON, wrong types, missing and unknown fields, deep
 * nesting, huge strings and arrays, bad Unicode, malformed and foreign ids, query-string abuse
 * and the wrong actors. A route added later is walked the moment it is documented.
 *
 * Every answer must be below 500, a refusal must carry a stable UPPER_SNAKE `code`, a refusal
 * must leave the event store's head where it was, and no refusal may quote the secret-shaped
 * canary the requests carry (S2). The generator is seeded, so a failure reproduces; the run is
 * the fixed cases run first and whole (every operation, every category), then random ones for a
 * bounded time.
 */
const SEED = 0x38_5202;
/** The fixed cases always run to the end; random ones fill this much time after them. */
const RANDOM_BUDGET_MS = 10_000;
const REQUEST_TIMEOUT_MS = 10_000;
const CODE = /^[A-Z][A-Z0-9_]*$/;
const FORGED_JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4IiwiZW1haWwiOiJ4QHkuaW8ifQ.c2lnbmF0dXJl';

interface Failure {
  operation: string;
  category: Category;
  label: string;
  actor: ActorName;
  status: number;
  problem: string;
  body: string;
}

describe('fuzzing every OpenAPI operation', () => {
  let t: TestApp;
  let client: RawClient;
  let document: OpenApiDocument;
  let own: CreatedOrganization;
  let other: CreatedOrganization;
  let context: CaseContext;

  beforeAll(async () => {
    t = await startTestApp();
    const server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new RawClient((server.address() as AddressInfo).port, REQUEST_TIMEOUT_MS);
    own = await createOrganization(t);
    other = await createOrganization(t);
    const canary = `alk_${new Prng(SEED).token(43)}`;
    context = {
      own: await populate(t, own),
      foreign: await populate(t, other),
      canary,
    };
    document = (await t.http.get('/docs-json').expect(200)).body as OpenApiDocument;
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await t?.close();
  });

  it('R38 S2 fuzz: every OpenAPI operation answers malformed, hostile and foreign input with a documented 4xx and a stable code, appending nothing and echoing no secret', async () => {
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(40);
    const prng = new Prng(SEED);
    const failures: Failure[] = [];
    const sent = new Map<string, Set<Category>>();
    const byStatus = new Map<number, number>();
    let requests = 0;
    let serverErrors = 0;
    let appendedOnRefusal = 0;

    const tokenOf = (operation: Operation, actor: ActorName): string | undefined => {
      switch (actor) {
        case 'primary':
          // Support's routes live under /v1/support; everything else is an org admin's.
          return operation.template.startsWith('/v1/support/') ? SUPPORT_TOKEN : own.adminToken;
        case 'none':
          return undefined;
        case 'forged':
          return FORGED_JWT;
        case 'secret':
          return context.canary;
        case 'foreign':
          return other.adminToken;
        case 'auditor':
          return AUDITOR_TOKEN;
      }
    };

    const run = async (operation: Operation, fuzz: FuzzCase) => {
      const token = tokenOf(operation, fuzz.actor);
      const before = await t.store.headPosition();
      const answer = await client.send({
        method: fuzz.method,
        path: fuzz.path,
        headers: token ? { ...fuzz.headers, ...bearer(token) } : fuzz.headers,
        body: fuzz.body,
      });
      const after = await t.store.headPosition();
      requests += 1;
      byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
      const seen = sent.get(operation.id) ?? new Set<Category>();
      sent.set(operation.id, seen.add(fuzz.category));
      const problems = [
        ...judge(operation, fuzz, answer, before !== after, context.canary),
        ...documentedAnswerProblems(document, operation, answer),
      ];
      if (answer.status >= 500 || answer.timedOut) serverErrors += 1;
      if (answer.status >= 400 && before !== after) appendedOnRefusal += 1;
      for (const problem of problems) {
        failures.push({
          operation: operation.id,
          category: fuzz.category,
          label: fuzz.label,
          actor: fuzz.actor,
          status: answer.status,
          problem,
          body: answer.text.slice(0, 300),
        });
      }
    };

    // The fixed cases, round-robin: each operation's first case of every category, then the
    // second of each, ... so even a slow machine sends every category to every operation.
    const started = Date.now();
    const queues = operations.map((operation) => ({
      operation,
      byCategory: groupByCategory(casesOf(operation, context, prng)),
    }));
    const fixed = queues.reduce((sum, q) => sum + [...q.byCategory.values()].flat().length, 0);
    let fixedSent = 0;
    let firstRoundDone = false;
    for (let round = 0; ; round++) {
      let any = false;
      for (const { operation, byCategory } of queues) {
        for (const cases of byCategory.values()) {
          if (round >= cases.length) continue;
          any = true;
          await run(operation, cases[round]);
          fixedSent += 1;
        }
      }
      if (round === 0) firstRoundDone = true;
      if (!any) break;
    }

    const fixedSeconds = seconds(started);

    // Random cases until the budget is spent: several mutations at once, any actor.
    let randomSent = 0;
    const randomStarted = Date.now();
    while (Date.now() - randomStarted < RANDOM_BUDGET_MS) {
      const operation = prng.pick(operations);
      await run(operation, randomCase(operation, context, prng));
      randomSent += 1;
    }

    // Last, the documented request of each operation: it may succeed and delete fixtures.
    for (const operation of operations) await run(operation, validCase(operation, context, prng));

    const summary = {
      seed: SEED,
      operationsInDocument: operations.length,
      operationsWalked: sent.size,
      requests,
      fixedCases: `${fixedSent} of ${fixed} in ${fixedSeconds} s`,
      randomCases: randomSent,
      serverErrors,
      appendedOnRefusal,
      failures: failures.length,
      seconds: seconds(started),
      statuses: Object.fromEntries([...byStatus].sort(([a], [b]) => a - b)),
    };
    console.log(`R38 fuzz summary ${JSON.stringify(summary)}`);
    if (failures.length > 0) console.log(describeFailures(failures));

    expect(firstRoundDone).toBe(true);
    expect(fixedSent).toBe(fixed);
    expect(sent.size).toBe(operations.length);
    expect(failures.slice(0, 25)).toEqual([]);
    expect({ serverErrors, appendedOnRefusal }).toEqual({ serverErrors: 0, appendedOnRefusal: 0 });
  }, 150_000);
});

/** What is wrong with one answer; nothing when it is a fine answer to that request. */
function judge(
  operation: Operation,
  fuzz: FuzzCase,
  answer: RawAnswer,
  appended: boolean,
  canary: string,
): string[] {
  if (answer.timedOut) return ['no answer in time'];
  const problems: string[] = [];
  if (answer.status >= 500) problems.push('server error');
  else if (!operation.statuses.includes(answer.status))
    problems.push(`answered ${answer.status}, which the document does not list for it`);
  if (answer.status >= 400) {
    if (appended) problems.push('refused, yet the event store head moved');
    const body = parseJson(answer.text);
    const code = body?.code;
    if (typeof code !== 'string' || !CODE.test(code)) problems.push('no stable code');
    if (body?.statusCode !== answer.status) problems.push('statusCode differs from the status');
    if (typeof body?.message !== 'string') problems.push('no message');
    if (answer.text.includes(canary.slice(4, 24))) problems.push('echoes a secret (S2)');
  }
  if (fuzz.mustRefuse && answer.status < 400)
    problems.push(`answered ${answer.status} to ${fuzz.actor}`);
  if (
    fuzz.mustRefuse &&
    fuzz.category === 'auth' &&
    fuzz.actor !== 'foreign' &&
    answer.status !== 401
  )
    problems.push(`answered ${answer.status}, not 401, to ${fuzz.actor}`);
  return problems;
}

/** A JSON answer, success or refusal, must be what the document says that status answers. */
function documentedAnswerProblems(
  document: OpenApiDocument,
  operation: Operation,
  answer: RawAnswer,
): string[] {
  if (answer.timedOut || answer.status >= 500 || !/^application\/json/.test(answer.contentType))
    return [];
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return ['an application/json answer that is not JSON'];
  }
  // The fuzz suite's view of the document types less of it than the validator reads.
  const whole = document as unknown as AnsweredDocument;
  return answerProblems(whole, operation.method, operation.template, answer.status, body);
}

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

/** One line per kind of failure (operation, category, problem), with a count and an example. */
function describeFailures(failures: Failure[]): string {
  const kinds = new Map<string, { count: number; example: Failure }>();
  for (const failure of failures) {
    const key = `${failure.operation} | ${failure.category} | ${failure.problem}`;
    const kind = kinds.get(key);
    kinds.set(key, { count: (kind?.count ?? 0) + 1, example: kind?.example ?? failure });
  }
  return [...kinds]
    .map(
      ([key, { count, example }]) =>
        `${count}x ${key} — e.g. ${example.label} as ${example.actor}: ${example.status} ${example.body.slice(0, 160)}`,
    )
    .join('\n');
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function groupByCategory(cases: FuzzCase[]): Map<Category, FuzzCase[]> {
  const groups = new Map<Category, FuzzCase[]>();
  for (const fuzz of cases) groups.set(fuzz.category, [...(groups.get(fuzz.category) ?? []), fuzz]);
  return groups;
}

/**
 * Real data in an organization — a custom role, an active member, a key, a group, a workspace
 * with a principal, a project with a member, a dashboard — so that ids in paths and bodies
 * name things that exist, and the other organization's are real foreign ids.
 */
async function populate(t: TestApp, org: CreatedOrganization): Promise<Fixtures> {
  const as = bearer(org.adminToken);
  const orgPath = (suffix: string) => `/v1/orgs/${org.organizationId}${suffix}`;
  const created = async (path: string, body: object, field: string): Promise<string> => {
    const response = await t.http.post(orgPath(path)).set(as).send(body);
    if (response.status >= 300)
      throw new Error(`fuzz fixture ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return (response.body as Record<string, string>)[field];
  };
  const member = await addActiveMember(t, org);
  const roleId = await created(
    '/roles',
    { name: 'Fuzzed', permissions: ['checks.read'] },
    'roleId',
  );
  const keyId = await created('/api-keys', { name: 'fuzz' }, 'keyId');
  const groupId = await created('/groups', { name: 'Fuzzers' }, 'groupId');
  await created(`/groups/${groupId}/members`, { userIds: [member.userId] }, 'position');
  const workspaceId = await created(
    '/workspaces',
    {
      name: 'Fuzz',
      principals: [{ role: 'editor', principal: { type: 'user', id: member.userId } }],
    },
    'workspaceId',
  );
  const projectId = await created('/projects', { workspaceId, name: 'Fuzz' }, 'projectId');
  await created(
    `/projects/${projectId}/members`,
    { principal: { type: 'group', id: groupId }, role: 'viewer' },
    'position',
  );
  const dashboardId = await created(
    '/dashboards',
    { workspaceId, name: 'Fuzz', projectIds: [projectId] },
    'dashboardId',
  );
  return {
    orgId: org.organizationId,
    roleId,
    userId: member.userId,
    keyId,
    groupId,
    workspaceId,
    projectId,
    dashboardId,
    type: 'user',
    id: member.userId,
  };
}
