import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../shared/domain-error.js';
import {
  admin,
  apiKey,
  apiKeyIssued,
  auditor,
  CATALOG,
  command,
  fullAccessSnapshot,
  memberInvited,
  organizationCreated,
  roleCreated,
  stateOf,
  support,
  user,
} from '../testing/organization.fixtures.js';
import {
  as,
  DEFAULT_WS,
  ENG,
  groupCreated,
  groupP,
  MEMBERS,
  userP,
  world,
  worldWithout,
  WS,
} from '../testing/access-graph.fixtures.js';
import type { OrganizationCommand } from './organization.commands.js';
import { organizationDecider } from './organization.decider.js';
import type { OrganizationEvent } from './organization.events.js';

/*
 * One describe per row of docs/authorization.md: who may issue each command (allowed) and an
 * example of who is refused. `Record<CommandType, Row>` makes the compiler demand a row for
 * every command type, and the last test checks the document lists the same commands.
 */

type CommandType = OrganizationCommand['type'];

interface Case {
  who: string;
  given: OrganizationEvent[];
  command: OrganizationCommand;
}
interface Row {
  /** `events`: the types the allowed command appends, in order. */
  allowed: Case & { events: OrganizationEvent['type'][] };
  refused: Case & { code: string };
}

const { bob, carol, dave } = MEMBERS;
const acmeWithRoles = (): OrganizationEvent[] => [
  organizationCreated([...CATALOG, 'truora.roles']),
  ...world().slice(1),
];
const defaultAccessKey = apiKeyIssued('k-default', {
  roleId: 'default_access',
  roleName: 'default_access',
  permissions: ['checks.read', 'checks.write'],
});
const fullKey = apiKeyIssued('k-full', fullAccessSnapshot());

const rows: Record<CommandType, Row> = {
  CreateOrganization: {
    allowed: {
      who: 'support',
      events: ['OrganizationCreated', 'WorkspaceCreated', 'WorkspacePrincipalAdded'],
      given: [],
      command: command(
        'CreateOrganization',
        {
          organizationId: 'acme',
          name: 'Acme',
          catalog: [],
          firstUser: { userId: 'u-admin', email: 'admin@acme.test' },
          defaultWorkspaceId: DEFAULT_WS,
        },
        support,
      ),
    },
    refused: {
      who: 'org admin',
      given: world(),
      command: command(
        'CreateOrganization',
        {
          organizationId: 'acme',
          name: 'Acme',
          catalog: [],
          firstUser: { userId: 'u-admin', email: 'admin@acme.test' },
          defaultWorkspaceId: DEFAULT_WS,
        },
        admin,
      ),
      code: 'SUPPORT_ONLY',
    },
  },
  AddCatalogPermissions: {
    allowed: {
      who: 'support',
      events: ['CatalogPermissionsAdded'],
      given: world(),
      command: command('AddCatalogPermissions', { permissions: ['reports.read'] }, support),
    },
    refused: {
      who: 'org admin',
      given: world(),
      command: command('AddCatalogPermissions', { permissions: ['reports.read'] }, admin),
      code: 'SUPPORT_ONLY',
    },
  },
  RemoveCatalogPermissions: {
    allowed: {
      who: 'support',
      events: ['CatalogPermissionsRemoved'],
      given: world(),
      command: command('RemoveCatalogPermissions', { permissions: ['checks.write'] }, support),
    },
    refused: {
      who: 'auditor',
      given: world(),
      command: command('RemoveCatalogPermissions', { permissions: ['checks.write'] }, auditor),
      code: 'READ_ONLY_ACTOR',
    },
  },
  CreateRole: {
    allowed: {
      who: 'member holding truora.roles',
      events: ['RoleCreated'],
      given: acmeWithRoles(),
      command: command(
        'CreateRole',
        { roleId: 'r-ops', name: 'Ops', permissions: ['checks.read'] },
        admin,
      ),
    },
    refused: {
      who: 'member without truora.roles',
      given: acmeWithRoles(),
      command: command(
        'CreateRole',
        { roleId: 'r-ops', name: 'Ops', permissions: ['checks.read'] },
        as('alice'),
      ),
      code: 'MISSING_PERMISSION',
    },
  },
  UpdateRole: {
    allowed: {
      who: 'member holding truora.roles',
      events: ['RoleUpdated'],
      given: [...acmeWithRoles(), roleCreated('r-ops', 'Ops', [])],
      command: command('UpdateRole', { roleId: 'r-ops', permissions: ['checks.read'] }, admin),
    },
    refused: {
      who: 'support',
      given: [...acmeWithRoles(), roleCreated('r-ops', 'Ops', [])],
      command: command('UpdateRole', { roleId: 'r-ops', permissions: ['checks.read'] }, support),
      code: 'FORBIDDEN_FOR_SUPPORT',
    },
  },
  DeleteRole: {
    allowed: {
      who: 'member holding truora.roles',
      events: ['RoleDeleted'],
      given: [...acmeWithRoles(), roleCreated('r-ops', 'Ops', [])],
      command: command('DeleteRole', { roleId: 'r-ops' }, admin),
    },
    refused: {
      who: 'API key without truora.roles',
      given: [...acmeWithRoles(), roleCreated('r-ops', 'Ops', []), defaultAccessKey],
      command: command('DeleteRole', { roleId: 'r-ops' }, apiKey('k-default')),
      code: 'MISSING_PERMISSION',
    },
  },
  InviteMember: {
    allowed: {
      who: 'member holding truora.users',
      events: ['MemberInvited', 'WorkspacePrincipalAdded'],
      given: world(),
      command: command('InviteMember', { userId: 'u-new', email: 'new@acme.test' }, admin),
    },
    refused: {
      who: 'member without truora.users',
      given: world(),
      command: command('InviteMember', { userId: 'u-new', email: 'new@acme.test' }, as('alice')),
      code: 'MISSING_PERMISSION',
    },
  },
  SignIn: {
    allowed: {
      who: 'the signing-in invitee',
      events: ['MemberActivated'],
      given: [...world(), memberInvited('u-new', 'new@acme.test')],
      command: command(
        'SignIn',
        { subject: 'sub-new', email: 'new@acme.test', groups: [] },
        user('new@acme.test', 'sub-new'),
      ),
    },
    refused: {
      who: 'API key',
      given: [...world(), fullKey],
      command: command(
        'SignIn',
        { subject: 'sub-new', email: 'new@acme.test', groups: [] },
        apiKey('k-full'),
      ),
      code: 'SIGN_IN_NOT_SELF',
    },
  },
  ChangeMemberRole: {
    allowed: {
      who: 'member holding truora.users',
      events: ['MemberRoleChanged'],
      given: world(),
      command: command('ChangeMemberRole', { userId: bob, roleId: 'full_access' }, admin),
    },
    refused: {
      who: 'member without truora.users',
      given: world(),
      command: command('ChangeMemberRole', { userId: bob, roleId: 'full_access' }, as('alice')),
      code: 'MISSING_PERMISSION',
    },
  },
  DeactivateMember: {
    allowed: {
      who: 'member holding truora.users',
      events: ['MemberDeactivated'],
      given: world(),
      command: command('DeactivateMember', { userId: bob }, admin),
    },
    refused: {
      who: 'workspace admin without truora.users',
      given: world(),
      command: command('DeactivateMember', { userId: bob }, as('wsAdmin')),
      code: 'MISSING_PERMISSION',
    },
  },
  ReactivateMember: {
    allowed: {
      who: 'member holding truora.users',
      events: ['MemberReactivated'],
      given: [...world(), { type: 'MemberDeactivated', data: { userId: bob } }],
      command: command('ReactivateMember', { userId: bob }, admin),
    },
    refused: {
      who: 'auditor',
      given: [...world(), { type: 'MemberDeactivated', data: { userId: bob } }],
      command: command('ReactivateMember', { userId: bob }, auditor),
      code: 'READ_ONLY_ACTOR',
    },
  },
  RemoveMember: {
    allowed: {
      who: 'member holding truora.users',
      events: ['MemberRemoved'],
      given: world(),
      command: command('RemoveMember', { userId: dave }, admin),
    },
    refused: {
      who: 'member without truora.users',
      given: world(),
      command: command('RemoveMember', { userId: dave }, as('alice')),
      code: 'MISSING_PERMISSION',
    },
  },
  IssueApiKey: {
    allowed: {
      who: 'member holding truora.keys',
      events: ['ApiKeyIssued'],
      given: world(),
      command: command(
        'IssueApiKey',
        { keyId: 'k-new', name: 'CI', secretHash: 'hash', secretPrefix: 'al_new' },
        admin,
      ),
    },
    refused: {
      who: 'API key',
      given: [...world(), fullKey],
      command: command(
        'IssueApiKey',
        { keyId: 'k-new', name: 'CI', secretHash: 'hash', secretPrefix: 'al_new' },
        apiKey('k-full'),
      ),
      code: 'API_KEY_CANNOT_ISSUE_KEYS',
    },
  },
  RevokeApiKey: {
    allowed: {
      who: 'member holding truora.keys',
      events: ['ApiKeyRevoked'],
      given: [...world(), fullKey],
      command: command('RevokeApiKey', { keyId: 'k-full' }, admin),
    },
    refused: {
      who: 'member without truora.keys',
      given: [...world(), fullKey],
      command: command('RevokeApiKey', { keyId: 'k-full' }, as('alice')),
      code: 'MISSING_PERMISSION',
    },
  },
  CreateGroup: {
    allowed: {
      who: 'org admin',
      events: ['GroupCreated'],
      given: world(),
      command: command('CreateGroup', { groupId: 'g-ops', name: 'Ops' }, admin),
    },
    refused: {
      who: 'workspace admin',
      given: world(),
      command: command('CreateGroup', { groupId: 'g-ops', name: 'Ops' }, as('wsAdmin')),
      code: 'NOT_ALLOWED',
    },
  },
  LinkDirectoryGroup: {
    allowed: {
      who: 'org admin',
      events: ['DirectoryGroupLinked'],
      given: world(),
      command: command(
        'LinkDirectoryGroup',
        { groupId: 'g-dir', name: 'Sales', directoryGroupId: 'idp-sales' },
        admin,
      ),
    },
    refused: {
      who: 'org admin without truora.directory in the catalog',
      given: worldWithout(['truora.directory']),
      command: command(
        'LinkDirectoryGroup',
        { groupId: 'g-dir', name: 'Sales', directoryGroupId: 'idp-sales' },
        admin,
      ),
      code: 'ENTITLEMENT_REQUIRED',
    },
  },
  RenameGroup: {
    allowed: {
      who: 'org admin',
      events: ['GroupRenamed'],
      given: world(),
      command: command('RenameGroup', { groupId: ENG, name: 'Eng' }, admin),
    },
    refused: {
      who: 'group member',
      given: world(),
      command: command('RenameGroup', { groupId: ENG, name: 'Eng' }, as('carol')),
      code: 'NOT_ALLOWED',
    },
  },
  DeleteGroup: {
    allowed: {
      who: 'org admin',
      events: ['GroupDeleted'],
      given: [...world(), groupCreated('g-ops', 'Ops')],
      command: command('DeleteGroup', { groupId: 'g-ops' }, admin),
    },
    refused: {
      who: 'support',
      given: [...world(), groupCreated('g-ops', 'Ops')],
      command: command('DeleteGroup', { groupId: 'g-ops' }, support),
      code: 'FORBIDDEN_FOR_SUPPORT',
    },
  },
  AddGroupMembers: {
    allowed: {
      who: 'org admin',
      events: ['GroupMembersAdded'],
      given: world(),
      command: command('AddGroupMembers', { groupId: ENG, userIds: [dave] }, admin),
    },
    refused: {
      who: 'workspace admin',
      given: world(),
      command: command('AddGroupMembers', { groupId: ENG, userIds: [dave] }, as('wsAdmin')),
      code: 'NOT_ALLOWED',
    },
  },
  RemoveGroupMember: {
    allowed: {
      who: 'org admin',
      events: ['GroupMemberRemoved'],
      given: world(),
      command: command('RemoveGroupMember', { groupId: ENG, userId: carol }, admin),
    },
    refused: {
      who: 'auditor',
      given: world(),
      command: command('RemoveGroupMember', { groupId: ENG, userId: carol }, auditor),
      code: 'READ_ONLY_ACTOR',
    },
  },
  CreateWorkspace: {
    allowed: {
      who: 'org admin',
      events: ['WorkspaceCreated'],
      given: world(),
      command: command(
        'CreateWorkspace',
        { workspaceId: 'ws-2', name: 'Sales', principals: [] },
        admin,
      ),
    },
    refused: {
      who: 'org admin without truora.workspaces in the catalog',
      given: worldWithout(['truora.workspaces']),
      command: command(
        'CreateWorkspace',
        { workspaceId: 'ws-2', name: 'Sales', principals: [] },
        admin,
      ),
      code: 'ENTITLEMENT_REQUIRED',
    },
  },
  RenameWorkspace: {
    allowed: {
      who: 'workspace admin',
      events: ['WorkspaceRenamed'],
      given: world(),
      command: command('RenameWorkspace', { workspaceId: WS, name: 'Labs' }, as('wsAdmin')),
    },
    refused: {
      who: 'workspace editor',
      given: world(),
      command: command('RenameWorkspace', { workspaceId: WS, name: 'Labs' }, as('editor')),
      code: 'NOT_ALLOWED',
    },
  },
  AddWorkspacePrincipal: {
    allowed: {
      who: 'workspace admin',
      events: ['WorkspacePrincipalAdded'],
      given: world(),
      command: command(
        'AddWorkspacePrincipal',
        { workspaceId: WS, principal: userP(dave), role: 'member' },
        as('wsAdmin'),
      ),
    },
    refused: {
      who: 'workspace editor',
      given: world(),
      command: command(
        'AddWorkspacePrincipal',
        { workspaceId: WS, principal: userP(dave), role: 'member' },
        as('editor'),
      ),
      code: 'NOT_ALLOWED',
    },
  },
  ChangeWorkspacePrincipalRole: {
    allowed: {
      who: 'org admin',
      events: ['WorkspacePrincipalRoleChanged'],
      given: world(),
      command: command(
        'ChangeWorkspacePrincipalRole',
        { workspaceId: WS, principal: userP(bob), role: 'user' },
        as('orgAdmin2'),
      ),
    },
    refused: {
      who: 'workspace user',
      given: world(),
      command: command(
        'ChangeWorkspacePrincipalRole',
        { workspaceId: WS, principal: userP(bob), role: 'user' },
        as('alice'),
      ),
      code: 'NOT_ALLOWED',
    },
  },
  RemoveWorkspacePrincipal: {
    allowed: {
      who: 'workspace admin',
      events: ['WorkspacePrincipalRemoved'],
      given: world(),
      command: command(
        'RemoveWorkspacePrincipal',
        { workspaceId: WS, principal: groupP(ENG) },
        as('wsAdmin'),
      ),
    },
    refused: {
      who: 'admin of another workspace',
      given: world(),
      command: command(
        'RemoveWorkspacePrincipal',
        { workspaceId: DEFAULT_WS, principal: userP('u-admin') },
        as('wsAdmin'),
      ),
      code: 'NOT_ALLOWED',
    },
  },
  CreateProject: {
    allowed: {
      who: 'workspace user',
      events: ['ProjectCreated'],
      given: world(),
      command: command(
        'CreateProject',
        { projectId: 'p-new', workspaceId: WS, name: 'New' },
        as('alice'),
      ),
    },
    refused: {
      who: 'workspace member',
      given: world(),
      command: command(
        'CreateProject',
        { projectId: 'p-new', workspaceId: WS, name: 'New' },
        as('bob'),
      ),
      code: 'NOT_ALLOWED',
    },
  },
  AddProjectMember: {
    allowed: {
      who: 'project owner',
      events: ['ProjectMemberAdded'],
      given: world(),
      command: command(
        'AddProjectMember',
        { projectId: 'p-1', principal: userP(dave) },
        as('alice'),
      ),
    },
    refused: {
      who: 'project member',
      given: world(),
      command: command('AddProjectMember', { projectId: 'p-1', principal: userP(dave) }, as('bob')),
      code: 'NOT_ALLOWED',
    },
  },
  ChangeProjectMemberRole: {
    allowed: {
      who: 'workspace admin',
      events: ['ProjectMemberRoleChanged'],
      given: world(),
      command: command(
        'ChangeProjectMemberRole',
        { projectId: 'p-1', principal: userP(bob), role: 'user' },
        as('wsAdmin'),
      ),
    },
    refused: {
      who: 'workspace editor',
      given: world(),
      command: command(
        'ChangeProjectMemberRole',
        { projectId: 'p-1', principal: userP(bob), role: 'user' },
        as('editor'),
      ),
      code: 'NOT_ALLOWED',
    },
  },
  RemoveProjectMembers: {
    allowed: {
      who: 'org admin',
      events: ['ProjectMembersRemoved'],
      given: world(),
      command: command(
        'RemoveProjectMembers',
        { projectId: 'p-1', principals: [userP(bob)] },
        as('orgAdmin2'),
      ),
    },
    refused: {
      who: 'project member',
      given: world(),
      command: command(
        'RemoveProjectMembers',
        { projectId: 'p-1', principals: [userP(bob)] },
        as('bob'),
      ),
      code: 'NOT_ALLOWED',
    },
  },
  TransferOwnership: {
    allowed: {
      who: 'project owner',
      events: ['OwnershipTransferred'],
      given: world(),
      command: command('TransferOwnership', { projectId: 'p-1', to: userP(bob) }, as('alice')),
    },
    refused: {
      who: 'workspace editor',
      given: world(),
      command: command('TransferOwnership', { projectId: 'p-1', to: userP(bob) }, as('editor')),
      code: 'NOT_ALLOWED',
    },
  },
  DeleteProject: {
    allowed: {
      who: 'member of the owner group',
      events: ['ProjectDeleted'],
      given: world(),
      command: command('DeleteProject', { projectId: 'p-2' }, as('carol')),
    },
    refused: {
      who: 'project member',
      given: world(),
      command: command('DeleteProject', { projectId: 'p-1' }, as('bob')),
      code: 'NOT_ALLOWED',
    },
  },
  CreateDashboard: {
    allowed: {
      who: 'workspace user with access to its projects',
      events: ['DashboardCreated'],
      given: world(),
      command: command(
        'CreateDashboard',
        { dashboardId: 'd-new', workspaceId: WS, name: 'KPIs', projectIds: ['p-1'] },
        as('alice'),
      ),
    },
    refused: {
      who: 'workspace user without access to one of its projects',
      given: world(),
      command: command(
        'CreateDashboard',
        { dashboardId: 'd-new', workspaceId: WS, name: 'KPIs', projectIds: ['p-1', 'p-2'] },
        as('alice'),
      ),
      code: 'PROJECT_ACCESS_REQUIRED',
    },
  },
  DeleteDashboard: {
    allowed: {
      who: 'dashboard creator',
      events: ['DashboardDeleted'],
      given: world(),
      command: command('DeleteDashboard', { dashboardId: 'd-1' }, as('alice')),
    },
    refused: {
      who: 'workspace editor',
      given: world(),
      command: command('DeleteDashboard', { dashboardId: 'd-1' }, as('editor')),
      code: 'NOT_ALLOWED',
    },
  },
};

const decide = ({ given, command: cmd }: Case) => organizationDecider.decide(cmd, stateOf(given));

describe('authorization (docs/authorization.md)', () => {
  for (const [type, row] of Object.entries(rows) as [CommandType, Row][]) {
    describe(type, () => {
      it(`${type}: ${row.allowed.who} allowed`, () => {
        expect(row.allowed.command.type).toBe(type);
        expect(decide(row.allowed).map((event) => event.type)).toEqual(row.allowed.events);
      });

      it(`${type}: ${row.refused.who} refused`, () => {
        expect(row.refused.command.type).toBe(type);
        let refusal: unknown;
        try {
          decide(row.refused);
        } catch (error) {
          refusal = error;
        }
        expect(refusal).toBeInstanceOf(DomainError);
        expect((refusal as DomainError).code).toBe(row.refused.code);
      });
    });
  }

  it('the document has one row per command type, in the order of these tests, each naming the refusal tested', () => {
    const doc = readFileSync(join(process.cwd(), 'docs', 'authorization.md'), 'utf8');
    const tableRows = doc
      .split('\n')
      .filter((line) => /^\| [A-Z]/.test(line))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    expect(tableRows.map((cells) => cells[1])).toEqual(Object.keys(rows));
    for (const cells of tableRows) {
      const row = rows[cells[1] as CommandType];
      expect(cells[3]).toContain(`\`${row.refused.code}\``);
    }
  });
});
