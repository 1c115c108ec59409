import {
  bearer,
  createOrganization,
  expectRefusal,
  startTestApp,
  SUPPORT_TOKEN,
  type CreatedOrganization,
  type HttpAnswer,
  type TestApp,
} from '../support/test-app.js';

/**
 * R38: client mistakes that used to reach a stack overflow or a TypeError (a 500) are
 * refused at the depth they belong to — the JSON parser, the DTOs, the validation pipe — with
 * a 4xx, a stable code, and nothing appended.
 */
describe('client mistakes are 4xx, never 500', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganization(t);
  });
  afterAll(() => t.close());

  const orgPath = (suffix: string) => `/v1/orgs/${org.organizationId}${suffix}`;
  const rawJson = (path: string, body: string | Buffer, token = org.adminToken) =>
    t.http
      .post(path)
      .set(bearer(token))
      .set('content-type', 'application/json')
      // Bytes as they are: superagent would otherwise JSON-encode a Buffer.
      .serialize((raw: unknown) => raw as string)
      .send(body) as unknown as PromiseLike<HttpAnswer>;
  const nested = (levels: number) => `{"name":${'['.repeat(levels)}${']'.repeat(levels)}}`;
  const fieldsOf = (answer: HttpAnswer) =>
    (answer.body as { details?: { fields?: { field: string }[] } }).details?.fields?.map(
      (f) => f.field,
    );

  it('R38 a body nested 1,500 levels deep: 400 BODY_TOO_DEEP', async () => {
    await expectRefusal(t, () => rawJson(orgPath('/roles'), nested(1_500)), 400, 'BODY_TOO_DEEP');
    await expectRefusal(
      t,
      () => rawJson('/v1/support/organizations', nested(100_000), SUPPORT_TOKEN),
      400,
      'BODY_TOO_DEEP',
    );
  });

  it('R38 a body of ordinary depth still reaches validation', async () => {
    await expectRefusal(t, () => rawJson(orgPath('/roles'), nested(3)), 400, 'VALIDATION_FAILED');
  });

  it('R38 a body over the size limit: 413 PAYLOAD_TOO_LARGE', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024), permissions: [] });
    await expectRefusal(t, () => rawJson(orgPath('/roles'), huge), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('R38 creating an organization without firstUser: 400 naming firstUser', async () => {
    const answer = await expectRefusal(
      t,
      () => rawJson('/v1/support/organizations', '{"name":"x"}', SUPPORT_TOKEN),
      400,
      'VALIDATION_FAILED',
    );
    expect(fieldsOf(answer)).toContain('firstUser');
  });

  it('R38 firstUser that is not an object: 400 naming firstUser', async () => {
    for (const firstUser of ['"a@b.io"', '[]', '[{"email":"a@b.io"}]', 'null', '7']) {
      const answer = await expectRefusal(
        t,
        () =>
          rawJson(
            '/v1/support/organizations',
            `{"name":"x","firstUser":${firstUser}}`,
            SUPPORT_TOKEN,
          ),
        400,
        'VALIDATION_FAILED',
      );
      expect(fieldsOf(answer)).toContain('firstUser');
    }
  });

  it('R38 a form-encoded body on a JSON route: 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    await expectRefusal(
      t,
      () =>
        t.http
          .post('/v1/support/organizations')
          .set(bearer(SUPPORT_TOKEN))
          .type('form')
          .send('name=x&firstUser[email]=a@b.io') as unknown as PromiseLike<HttpAnswer>,
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    await expectRefusal(
      t,
      () =>
        t.http
          .post(orgPath('/invitations'))
          .set(bearer(org.adminToken))
          .set('content-type', 'text/plain')
          .send('{"email":"a@b.io"}') as unknown as PromiseLike<HttpAnswer>,
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('R38 a body that is not valid UTF-8: 400 MALFORMED_UTF8', async () => {
    const invalid = Buffer.concat([
      Buffer.from('{"name":"'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('","firstUser":{"email":"a@b.io"}}'),
    ]);
    await expectRefusal(
      t,
      () => rawJson('/v1/support/organizations', invalid, SUPPORT_TOKEN),
      400,
      'MALFORMED_UTF8',
    );
  });

  it('R38 a lone surrogate in an e-mail: 400 naming the field', async () => {
    const invite = await expectRefusal(
      t,
      () => rawJson(orgPath('/invitations'), '{"email":"\\ud800x@acme.test"}'),
      400,
      'VALIDATION_FAILED',
    );
    expect(fieldsOf(invite)).toEqual(['email']);
    const create = await expectRefusal(
      t,
      () =>
        rawJson(
          '/v1/support/organizations',
          '{"name":"x","firstUser":{"email":"a\\udfffb@acme.test"}}',
          SUPPORT_TOKEN,
        ),
      400,
      'VALIDATION_FAILED',
    );
    expect(fieldsOf(create)).toEqual(['firstUser.email']);
  });

  it('R38 a lone surrogate in a key names the field without echoing it broken', async () => {
    const answer = await expectRefusal(
      t,
      () => rawJson(orgPath('/invitations'), '{"email":"a@acme.test","\\ud800":1}'),
      400,
      'VALIDATION_FAILED',
    );
    expect(JSON.stringify(answer.body)).not.toMatch(/\\ud800/i);
  });

  it('R38 workspace principals that are not objects: 400 naming the element', async () => {
    for (const principals of ['[[]]', '[[{"role":"admin"}]]', '["user"]', '[null]']) {
      const answer = await expectRefusal(
        t,
        () => rawJson(orgPath('/workspaces'), `{"name":"W","principals":${principals}}`),
        400,
        'VALIDATION_FAILED',
      );
      expect(fieldsOf(answer)).toContain('principals');
    }
  });

  it('R38 project principals to remove that are not objects: 400 naming the field', async () => {
    const project = await t.http
      .post(orgPath('/projects'))
      .set(bearer(org.adminToken))
      .send({ workspaceId: org.defaultWorkspaceId, name: 'P' });
    expect(project.status).toBe(201);
    const answer = await expectRefusal(
      t,
      () =>
        rawJson(
          orgPath(`/projects/${project.body.projectId}/members/remove`),
          '{"principals":[[]]}',
        ),
      400,
      'VALIDATION_FAILED',
    );
    expect(fieldsOf(answer)).toContain('principals');
  });

  it('R38 a path that is not valid percent-encoding: 400 MALFORMED_PATH, not echoed (S2)', async () => {
    const answer = await expectRefusal(
      t,
      () =>
        t.http
          .get(orgPath('/api-keys/alk_secretsecret%FF'))
          .set(bearer(org.adminToken)) as unknown as PromiseLike<HttpAnswer>,
      400,
      'MALFORMED_PATH',
    );
    expect(JSON.stringify(answer.body)).not.toContain('secretsecret');
  });
});
