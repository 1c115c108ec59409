/**
 * Entitlements (R6, R42): admin-namespace permissions that only Support puts in a catalog, on
 * request. Each is a permission like any other — an org admin holds it through full_access
 * once it is in the catalog — but while the catalog lacks it nobody in the organization can
 * hold it, so the refusal sends the user to Support, not to an org admin.
 *
 * Which command needs which permission stays in one table (REQUIRED_PERMISSION in
 * organization.authorize.ts); this one says which of those permissions are entitlements and
 * what to tell the user.
 */
export interface Entitlement {
  permission: string;
  /** What it gates, as the start of the refusal sentence. */
  gates: string;
}

export const ENTITLEMENTS: readonly Entitlement[] = [
  // R6: support enables custom roles on request.
  { permission: 'truora.roles', gates: 'Custom roles are enabled on request' },
  // R42, seed 002: "Workspaces functionality is a paid feature"; Default is created with the org.
  {
    permission: 'truora.workspaces',
    gates: 'Creating workspaces beyond Default is a paid feature',
  },
  // R42, seed 002: group sync with the identity provider is enabled on request.
  {
    permission: 'truora.directory',
    gates: 'Linking directory groups (group sync) is enabled on request',
  },
];

const BY_PERMISSION: ReadonlyMap<string, Entitlement> = new Map(
  ENTITLEMENTS.map((entitlement) => [entitlement.permission, entitlement]),
);

/** The entitlement a permission is, if it is one. */
export const entitlementOf = (permission: string): Entitlement | undefined =>
  BY_PERMISSION.get(permission);
