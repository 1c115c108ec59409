import { Injectable, NotFoundException, type PipeTransform } from '@nestjs/common';

/** Every id Access Ledger makes is a UUID: path ids and ids in bodies are checked with this. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids in paths are UUIDs. Anything else names nothing that exists, so it is a 404 with the
 * resource's code (R38), and never reaches a stream name. The malformed value is not quoted:
 * what lands where an id belongs is as often a pasted API-key secret or token (S2). Errors
 * past this pipe name the id, and then it is a well-formed one.
 */
@Injectable()
export class ResourceIdPipe implements PipeTransform<string, string> {
  constructor(
    private readonly notFoundCode: string,
    private readonly alsoAccepted: readonly string[] = [],
  ) {}

  transform(value: string): string {
    if (this.alsoAccepted.includes(value)) return value;
    if (!UUID.test(value)) {
      throw new NotFoundException({
        code: this.notFoundCode,
        message: 'No such id: this one is not well formed (ids are UUIDs).',
      });
    }
    return value.toLowerCase();
  }
}

export const OrgId = new ResourceIdPipe('ORGANIZATION_NOT_FOUND');
export const UserId = new ResourceIdPipe('MEMBER_NOT_FOUND');
/** Built-in roles have fixed ids (R2). */
export const RoleIdPipe = new ResourceIdPipe('ROLE_NOT_FOUND', ['full_access', 'default_access']);
export const KeyId = new ResourceIdPipe('API_KEY_NOT_FOUND');
export const GroupId = new ResourceIdPipe('GROUP_NOT_FOUND');
export const WorkspaceId = new ResourceIdPipe('WORKSPACE_NOT_FOUND');
export const ProjectId = new ResourceIdPipe('PROJECT_NOT_FOUND');
export const DashboardId = new ResourceIdPipe('DASHBOARD_NOT_FOUND');

const PrincipalIdPipe = new ResourceIdPipe('PRINCIPAL_NOT_FOUND');

/** What `:type/:id` in a path names: a member or a group (workspace and project principals). */
export interface PathPrincipal {
  type: 'user' | 'group';
  id: string;
}

/**
 * The principal named by a path's `:type/:id`. An unknown type or a malformed id names
 * nothing: 404 with the code the deciders give an unknown principal, so a client handles one.
 */
export function principalFromPath(type: string, id: string): PathPrincipal {
  if (type !== 'user' && type !== 'group') {
    throw new NotFoundException({
      code: 'PRINCIPAL_NOT_FOUND',
      message: 'A principal is user/<userId> or group/<groupId>.',
    });
  }
  return { type, id: PrincipalIdPipe.transform(id) };
}
