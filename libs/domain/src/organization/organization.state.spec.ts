import {
  activeMember,
  ADMIN,
  command,
  memberInvited,
  organizationCreated,
  roleCreated,
  stateOf,
} from '../testing/organization.fixtures.js';
import { organizationDecider } from './organization.decider.js';
import type { OrganizationEvent } from './organization.events.js';
import { findMemberByEmail } from './organization.state.js';

describe('organization state', () => {
  it('keeps its indexes in step with members through role changes, status changes and removal', () => {
    const state = stateOf([
      organizationCreated(),
      roleCreated('r-ops', 'Ops', []),
      ...activeMember('u2', 'Two@Acme.test', 'full_access'),
      {
        type: 'MemberRoleChanged',
        data: { userId: 'u2', roleId: 'r-ops', previousRoleId: 'full_access' },
      },
      memberInvited('u3', 'three@acme.test', 'r-ops'),
      { type: 'MemberDeactivated', data: { userId: 'u3' } },
      memberInvited('u4', 'four@acme.test'),
      { type: 'MemberRemoved', data: { userId: 'u4' } },
    ]);
    expect(findMemberByEmail(state, 'two@acme.TEST')?.userId).toBe('u2');
    expect(findMemberByEmail(state, 'four@acme.test')).toBeUndefined();
    expect(state.holdersByRole.get('r-ops')).toEqual(new Set(['u2', 'u3']));
    expect(state.holdersByRole.get('full_access')).toEqual(new Set([ADMIN.userId]));
    expect(state.holdersByRole.has('default_access')).toBe(false);
    expect(state.activeFullAccess).toEqual(new Set([ADMIN.userId]));
  });

  it('R8 a large organization answers from its indexes: 10,000 members, then the last admin is still protected', () => {
    const events: OrganizationEvent[] = [organizationCreated()];
    for (let i = 0; i < 10_000; i += 1) events.push(...activeMember(`u${i}`, `m${i}@acme.test`));
    const state = stateOf(events);
    expect(state.members.size).toBe(10_001);
    // A scan of the members (or of the email index) for the other admins would walk these.
    const members = new WalkCountingMap(state.members);
    const emails = new WalkCountingMap(state.userIdByEmail);
    state.members = members;
    state.userIdByEmail = emails;
    for (const refused of [
      command('RemoveMember', { userId: ADMIN.userId }),
      command('DeactivateMember', { userId: ADMIN.userId }),
      command('ChangeMemberRole', { userId: ADMIN.userId, roleId: 'default_access' }),
    ]) {
      expect(() => organizationDecider.decide(refused, state)).toThrow(
        expect.objectContaining({ code: 'LAST_FULL_ACCESS_MEMBER' }),
      );
    }
    expect({ members: members.walks, emails: emails.walks }).toEqual({ members: 0, emails: 0 });
  });
});

/** A Map that counts how often it is walked (iterated, listed, forEach'd): lookups are free. */
class WalkCountingMap<K, V> extends Map<K, V> {
  walks = 0;
  override entries(): MapIterator<[K, V]> {
    this.walks += 1;
    return super.entries();
  }
  override keys(): MapIterator<K> {
    this.walks += 1;
    return super.keys();
  }
  override values(): MapIterator<V> {
    this.walks += 1;
    return super.values();
  }
  override forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    this.walks += 1;
    super.forEach(callback, thisArg);
  }
  override [Symbol.iterator](): MapIterator<[K, V]> {
    this.walks += 1;
    return super[Symbol.iterator]();
  }
}
