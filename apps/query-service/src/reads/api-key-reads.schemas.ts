import { namedSchema } from '#libs/http';
import { API_KEY_STATUSES } from './api-key-views.js';

/* What the API-key audit answers (R4, R11, R15, R16). Never a secret or its hash (S2). */

const ID = { type: 'string', format: 'uuid' } as const;
const NAMES = { type: 'array', items: { type: 'string' } } as const;

export const API_KEY = namedSchema('ApiKey', {
  type: 'object',
  required: [
    'organizationId',
    'keyId',
    'name',
    'issuedBy',
    'issuedAt',
    'expiresAt',
    'status',
    'snapshot',
    'effectivePermissions',
    'flags',
  ],
  properties: {
    organizationId: ID,
    keyId: ID,
    name: { type: 'string' },
    issuedBy: { type: 'string', description: 'The userId of the member who issued it' },
    issuedAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time', nullable: true },
    status: {
      type: 'string',
      enum: [...API_KEY_STATUSES],
      description:
        'At the time of the read (or of `asOf`): a key past its expiresAt is `expired` (R15)',
    },
    snapshot: {
      type: 'object',
      required: ['roleId', 'roleName', 'permissions'],
      description: "The issuer's role and permissions when the key was issued (R13)",
      properties: { roleId: { type: 'string' }, roleName: { type: 'string' }, permissions: NAMES },
    },
    effectivePermissions: {
      ...NAMES,
      description:
        'What it grants now: the snapshot within the current catalog; none once revoked or expired (R4, R15)',
    },
    flags: {
      type: 'object',
      required: ['issuerRemoved', 'snapshotExceedsIssuer'],
      properties: {
        issuerRemoved: {
          type: 'boolean',
          description: 'The issuer left the organization; the key works until revoked (R11)',
        },
        snapshotExceedsIssuer: {
          type: 'boolean',
          description: 'The key grants permissions its issuer no longer holds',
        },
      },
    },
  },
});
