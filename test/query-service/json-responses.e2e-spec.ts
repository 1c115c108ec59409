import {
  addActiveMember,
  bearer,
  createOrganization,
  startTestApp,
  SUPPORT_TOKEN,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';

/**
 * What a read answers on the wire (issue 11): pages are serialised from cached document texts
 * (libs/http json-response.ts) and a verified JWT is remembered, and neither shows. The body
 * is what JSON.stringify gives, with the headers Express gave (Content-Type with charset,
 * Content-Length, a weak ETag that answers a conditional GET with 304 until the page changes).
 */
describe('JSON responses of reads', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  const members = () => `/v1/orgs/${org.organizationId}/members`;

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganization(t, { email: 'admin@acme.test' });
    await addActiveMember(t, org, { email: 'bob@acme.test' });
  });
  afterAll(() => t.close());

  it('a page is the JSON of its documents, with the headers Express sets', async () => {
    const response = await t.http.get(members()).set(bearer(org.adminToken));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(response.text));
    expect(response.headers['etag']).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    expect(response.headers['x-correlation-id']).toBeDefined();
    const body = response.body as { items: Array<Record<string, unknown>>; nextCursor: unknown };
    expect(response.text).toBe(JSON.stringify(body));
    expect(body.items.map((item) => item.email).sort()).toEqual([
      'admin@acme.test',
      'bob@acme.test',
    ]);
    expect(body.items.every((item) => !('_id' in item))).toBe(true);

    // The same page again, from the cached texts: the same bytes and tag.
    const again = await t.http.get(members()).set(bearer(org.adminToken));
    expect(again.text).toBe(response.text);
    expect(again.headers['etag']).toBe(response.headers['etag']);
  });

  it('a conditional GET is answered 304 until the page changes, then 200 with a new tag', async () => {
    const first = await t.http.get(members()).set(bearer(SUPPORT_TOKEN));
    const etag = first.headers['etag'] as string;
    const unchanged = await t.http
      .get(members())
      .set(bearer(SUPPORT_TOKEN))
      .set('If-None-Match', etag);
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');

    await addActiveMember(t, org, { email: 'carol@acme.test' });
    const changed = await t.http
      .get(members())
      .set(bearer(SUPPORT_TOKEN))
      .set('If-None-Match', etag);
    expect(changed.status).toBe(200);
    expect(changed.headers['etag']).not.toBe(etag);
    expect((changed.body as { items: unknown[] }).items).toHaveLength(3);
  });

  it('a HEAD gets the headers of the GET and no body', async () => {
    const get = await t.http.get(members()).set(bearer(SUPPORT_TOKEN));
    const head = await t.http.head(members()).set(bearer(SUPPORT_TOKEN));
    expect(head.status).toBe(200);
    expect(head.text).toBeUndefined();
    for (const name of ['content-type', 'content-length', 'etag']) {
      expect(head.headers[name]).toBe(get.headers[name]);
    }
  });

  it('one member, and an error, are answered as before', async () => {
    const list = await t.http.get(members()).set(bearer(SUPPORT_TOKEN));
    const [one] = (list.body as { items: Array<{ userId: string }> }).items;
    const member = await t.http.get(`${members()}/${one.userId}`).set(bearer(SUPPORT_TOKEN));
    expect(member.status).toBe(200);
    expect(member.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(member.body).toEqual(one);

    const missing = await t.http
      .get(`/v1/orgs/${org.organizationId}/members/00000000-0000-4000-8000-000000000000`)
      .set(bearer(SUPPORT_TOKEN));
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(missing.body).toEqual({
      statusCode: 404,
      code: 'MEMBER_NOT_FOUND',
      message: 'No such member.',
    });
  });
});
