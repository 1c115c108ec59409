/** What can hold workspace and project roles: a member (by user id) or a group. */
export interface Principal {
  type: 'user' | 'group';
  id: string;
}

/** A map key for a principal: `user:<id>` or `group:<id>`. */
export const principalKey = (principal: Principal): string => `${principal.type}:${principal.id}`;
