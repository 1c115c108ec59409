import { object, permissions, nullable, time, validate, type JsonSchema } from '#libs/messaging';

describe('the schema validator', () => {
  const schema = object({ when: nullable(time()), permissions: permissions() }, ['when']);

  it('accepts a matching value', () => {
    expect(validate(schema, { when: null, permissions: ['checks.read'] })).toEqual([]);
    expect(validate(schema, { when: '2026-01-01T00:00:00Z', permissions: [] })).toEqual([]);
  });

  it('reports each violation at its path', () => {
    expect(
      validate(schema, { when: 'yesterday', permissions: ['Bad Perm', 'a', 'a'], extra: 1 }),
    ).toEqual([
      { path: '/when', message: 'not an RFC 3339 date-time' },
      { path: '/permissions', message: 'items are not unique' },
      { path: '/permissions/0', message: 'does not match ^[a-z0-9_.:-]{1,128}$' },
      { path: '/extra', message: 'is not allowed' },
    ]);
    expect(validate(schema, {})).toEqual([{ path: '/permissions', message: 'is required' }]);
    expect(validate(schema, [])).toEqual([{ path: '/', message: 'expected object, got array' }]);
  });

  it('refuses a keyword it does not check, rather than pass values it never looked at', () => {
    expect(() => validate({ oneOf: [] } as unknown as JsonSchema, 1)).toThrow(/not supported/);
  });
});
