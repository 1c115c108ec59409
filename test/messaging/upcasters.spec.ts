import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '#libs/event-store';
import {
  MissingUpcasterError,
  toCloudEvent,
  UpcasterRegistry,
  UpcastingEventStore,
} from '#libs/messaging';
import { recordedHistory } from './fixtures/every-event-type.js';

describe('upcasters: old stored versions read as the current one', () => {
  // A synthetic history: MemberInvited v0 had `mail` and no `invitedBy`; v1 is today's.
  const v0ToV1 = (data: Record<string, unknown>) => {
    const { mail, ...rest } = data;
    return { ...rest, email: mail, invitedBy: null };
  };

  it('upcasts a v0 event to v1 through the registry', () => {
    const registry = new UpcasterRegistry().register('MemberInvited', 0, v0ToV1);
    expect(
      registry.upcast('MemberInvited', 0, {
        userId: 'u-1',
        mail: 'a@b.test',
        roleId: 'default_access',
      }),
    ).toEqual({
      schemaVersion: 1,
      data: { userId: 'u-1', email: 'a@b.test', roleId: 'default_access', invitedBy: null },
    });
  });

  it('chains upcasters one version at a time', () => {
    const registry = new UpcasterRegistry(() => 3)
      .register('X', 1, (d) => ({ ...d, two: true }))
      .register('X', 2, (d) => ({ ...d, three: true }));
    expect(registry.upcast('X', 1, {})).toEqual({
      schemaVersion: 3,
      data: { two: true, three: true },
    });
    expect(registry.upcast('X', 3, { as: 'is' })).toEqual({ schemaVersion: 3, data: { as: 'is' } });
  });

  it('R32 an UpcastingEventStore reads a stored v0 event as the current version, and stamps appends with it', async () => {
    const registry = new UpcasterRegistry().register('MemberInvited', 0, v0ToV1);
    const raw = new SqliteEventStore(':memory:');
    const store = new UpcastingEventStore(raw, registry);
    const invited = recordedHistory().find((event) => event.type === 'MemberInvited')!;
    const { email, invitedBy: _invitedBy, ...rest } = invited.data;
    await raw.append(
      'organization-x',
      [
        {
          ...invited,
          data: { ...rest, mail: email },
          metadata: { ...invited.metadata, schemaVersion: 0 },
        },
      ],
      'no_stream',
    );
    const [read] = await store.readStream('organization-x');
    expect(read.metadata.schemaVersion).toBe(1);
    expect(read.data).toEqual({ ...rest, email, invitedBy: null });
    const envelope = toCloudEvent(read);
    expect(envelope.dataschema).toMatch(/MemberInvited:v1$/);
    expect(envelope.data).toEqual({ ...rest, email, invitedBy: null });

    await store.append(
      'organization-x',
      [{ ...invited, id: randomUUID(), metadata: { ...invited.metadata, schemaVersion: 7 } }],
      0,
    );
    const [, appended] = await raw.readStream('organization-x');
    expect(appended.metadata.schemaVersion).toBe(1);
    await store.close();
  });

  it('refuses a version with no path to the current one, and one newer than this release', () => {
    const registry = new UpcasterRegistry();
    expect(() => registry.upcast('MemberInvited', 0, {})).toThrow(MissingUpcasterError);
    expect(() => registry.upcast('MemberInvited', 2, {})).toThrow(/newer than this release/);
  });

  it('refuses two upcasters for the same step', () => {
    const registry = new UpcasterRegistry().register('MemberInvited', 0, v0ToV1);
    expect(() => registry.register('MemberInvited', 0, v0ToV1)).toThrow(TypeError);
  });
});
