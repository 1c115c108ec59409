import {
  EVENT_CATALOG,
  EVENT_TYPES,
  schemaOf,
  toCloudEvent,
  UnknownEventTypeError,
  validate,
} from '#libs/messaging';
import {
  API_KEY_HASH,
  API_KEY_SECRET,
  everyEventHistory,
  recordedHistory,
} from './fixtures/every-event-type.js';

/** The public event names: downstream consumers depend on them (ADR 11). */
const PUBLIC_EVENT_NAMES =
  `OrganizationCreated CatalogPermissionsAdded CatalogPermissionsRemoved RoleCreated
RoleUpdated RoleDeleted MemberInvited MemberActivated MemberRoleChanged MemberDeactivated MemberReactivated
MemberRemoved ApiKeyIssued ApiKeyRevoked GroupCreated GroupRenamed GroupDeleted GroupMembersAdded
GroupMemberRemoved DirectoryGroupLinked DirectoryMembershipSynced WorkspaceCreated WorkspaceRenamed
WorkspacePrincipalAdded WorkspacePrincipalRoleChanged WorkspacePrincipalRemoved ProjectCreated
ProjectMemberAdded ProjectMemberRoleChanged ProjectMembersRemoved OwnershipTransferred ProjectDeleted
DashboardCreated DashboardDeleted`.split(/\s+/);

describe('the event catalog covers what the domain emits', () => {
  const history = everyEventHistory();

  it('lists exactly the event types the decider emits', () => {
    expect([...new Set(history.map((event) => event.type))].sort()).toEqual(
      [...EVENT_TYPES].sort(),
    );
  });

  it('includes every event name that is part of the public contract', () => {
    expect(EVENT_TYPES).toEqual(expect.arrayContaining(PUBLIC_EVENT_NAMES));
  });

  it('has a JSON Schema for every type at its current version', () => {
    for (const type of EVENT_TYPES) {
      expect({ type, schema: schemaOf(type, EVENT_CATALOG[type].version) }).toEqual({
        type,
        schema: expect.objectContaining({ $id: expect.stringContaining(type) }),
      });
    }
  });

  it('validates every emitted event, as published, against its schema', () => {
    for (const envelope of recordedHistory(history).map((event) => toCloudEvent(event))) {
      const schema = schemaOf(envelope.type, envelope.schemaversion);
      expect({ type: envelope.type, violations: validate(schema!, envelope.data) }).toEqual({
        type: envelope.type,
        violations: [],
      });
      expect(envelope.dataschema).toBe(schema!.$id);
    }
  });

  it('classifies every data field the domain emits as published or withheld (S2)', () => {
    for (const event of history) {
      const descriptor = EVENT_CATALOG[event.type];
      const classified = [...descriptor.published, ...Object.keys(descriptor.withheld ?? {})];
      const unclassified = Object.keys(event.data).filter(
        (field) => !classified.includes(field as never),
      );
      expect({ type: event.type, unclassified }).toEqual({ type: event.type, unclassified: [] });
    }
  });
});

describe('S2: the envelope of ApiKeyIssued', () => {
  const issued = recordedHistory().find((event) => event.type === 'ApiKeyIssued')!;

  it('carries no secret and no hash of one', () => {
    expect(issued.data.secretHash).toBe(API_KEY_HASH);
    const envelope = toCloudEvent(issued);
    expect(envelope.data).not.toHaveProperty('secretHash');
    const json = JSON.stringify(envelope);
    expect(json).not.toContain(API_KEY_HASH);
    expect(json).not.toContain(API_KEY_SECRET);
    expect(envelope.data).toEqual(
      expect.objectContaining({ keyId: 'k-1', secretPrefix: 'alk_fixtur' }),
    );
  });

  it('would fail its schema if a hash slipped through', () => {
    const schema = schemaOf('ApiKeyIssued', 1)!;
    expect(validate(schema, issued.data)).toEqual([
      { path: '/secretHash', message: 'is not allowed' },
    ]);
  });

  it('does not alias the stored event: mutating the envelope leaves the event as stored', () => {
    const envelope = toCloudEvent(issued);
    (envelope.data.snapshot as { permissions: string[] }).permissions.push('injected');
    expect((issued.data.snapshot as { permissions: string[] }).permissions).not.toContain(
      'injected',
    );
  });
});

describe('toCloudEvent maps R32 onto CloudEvents 1.0', () => {
  it('puts every R32 field on a standard or an extension attribute', () => {
    const [created] = recordedHistory();
    expect(toCloudEvent(created)).toEqual({
      specversion: '1.0',
      id: created.id,
      source: `/access-ledger/organizations/${created.metadata.organizationId}`,
      type: 'OrganizationCreated',
      subject: 'organization',
      time: created.recordedAt,
      datacontenttype: 'application/json',
      dataschema: 'urn:access-ledger:schemas:events:OrganizationCreated:v1',
      schemaversion: 1,
      organizationid: created.metadata.organizationId,
      stream: created.stream,
      revision: 0,
      position: created.position,
      actortype: 'user',
      actorid: 'sub-admin',
      correlationid: 'corr-1',
      causationid: 'corr-1',
      data: created.data,
    });
  });

  it('names extension attributes as CloudEvents requires: lowercase letters and digits', () => {
    for (const name of Object.keys(toCloudEvent(recordedHistory()[0]))) {
      expect(name).toMatch(/^[a-z0-9]{1,20}$/);
    }
  });

  it('refuses an event type outside the catalog rather than publish what it cannot vet', () => {
    const [created] = recordedHistory();
    expect(() => toCloudEvent({ ...created, type: 'SecretRotated' })).toThrow(
      UnknownEventTypeError,
    );
  });
});
