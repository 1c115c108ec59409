import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, Matches } from 'class-validator';
import { UUID } from '#libs/http';

// Shapes only: whether a member or group exists, and who may grant what, is the deciders' call.
export const UUID_MESSAGE = '$property must be a UUID';
/** The most ids one request may name: bounds the work and the size of one event. */
export const MAX_BATCH = 1000;
export const NAME_LENGTH = { min: 1, max: 128 } as const;

/** Ids are compared as stored (lowercase, as randomUUID makes them): accept either case. */
export const LowercaseIds = () =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value === 'string') return value.toLowerCase();
    if (Array.isArray(value))
      return value.map((item: unknown) => (typeof item === 'string' ? item.toLowerCase() : item));
    return value;
  });

export const PRINCIPAL_TYPES = ['user', 'group'] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/** A member (by user id) or a group: what holds workspace and project roles. */
export class PrincipalDto {
  @ApiProperty({ enum: PRINCIPAL_TYPES, example: 'user' })
  @IsIn(PRINCIPAL_TYPES, { message: 'type must be user or group' })
  type!: PrincipalType;

  @ApiProperty({ format: 'uuid', description: 'A userId or a groupId, as type says' })
  @LowercaseIds()
  @Matches(UUID, { message: UUID_MESSAGE })
  id!: string;
}

/** A plain `{ type, id }` for the command: DTO instances stay at the HTTP edge. */
export const toPrincipal = ({ type, id }: PrincipalDto): { type: PrincipalType; id: string } => ({
  type,
  id,
});
