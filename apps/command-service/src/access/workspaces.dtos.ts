import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import { MAX_BATCH, NAME_LENGTH, PrincipalDto } from './principal.dto.js';

/** Ordered member < user < editor < admin (R22). */
export const WORKSPACE_ROLES = ['member', 'user', 'editor', 'admin'] as const;
export type WorkspaceRoleName = (typeof WORKSPACE_ROLES)[number];
const WORKSPACE_ROLE_MESSAGE = 'role must be one of member, user, editor, admin';

export class WorkspaceRoleDto {
  @ApiProperty({ enum: WORKSPACE_ROLES, example: 'editor' })
  @IsIn(WORKSPACE_ROLES, { message: WORKSPACE_ROLE_MESSAGE })
  role!: WorkspaceRoleName;
}

export class WorkspacePrincipalDto extends WorkspaceRoleDto {
  @ApiProperty({ type: PrincipalDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PrincipalDto)
  principal!: PrincipalDto;
}

export class WorkspaceNameDto {
  @ApiProperty({ example: 'Fraud team' })
  @IsString()
  @Length(NAME_LENGTH.min, NAME_LENGTH.max)
  name!: string;
}

export class CreateWorkspaceDto extends WorkspaceNameDto {
  @ApiPropertyOptional({
    type: [WorkspacePrincipalDto],
    maxItems: MAX_BATCH,
    description: 'Initial principals and their roles (R20); none when left out',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_BATCH)
  // @ValidateNested descends into a nested array as if it were the list: [[]] would pass.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => WorkspacePrincipalDto)
  principals?: WorkspacePrincipalDto[];
}
