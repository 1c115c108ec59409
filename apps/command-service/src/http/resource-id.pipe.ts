import { Injectable, NotFoundException, type PipeTransform } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids in paths are UUIDs. Anything else names nothing that exists, so it is a 404 with the
 * resource's code (R38), and never reaches a stream name.
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
        message: `No such id: ${value.slice(0, 64)}.`,
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
