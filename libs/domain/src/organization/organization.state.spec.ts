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
    expect(() =>
      organizationDecider.decide(command('RemoveMember', { userId: ADMIN.userId }), state),
    ).toThrow(expect.objectContaining({ code: 'LAST_FULL_ACCESS_MEMBER' }));
  });
});
