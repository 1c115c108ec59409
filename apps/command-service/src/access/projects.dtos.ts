import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import {
  LowercaseIds,
  MAX_BATCH,
  NAME_LENGTH,
  PrincipalDto,
  UUID_MESSAGE,
} from './principal.dto.js';
import { UUID } from '#libs/http';

/** The roles a non-owner member holds; ownership moves only by transfer (R25, R26). */
export const PROJECT_MEMBER_ROLES = ['viewer', 'user'] as const;
export type ProjectMemberRoleName = (typeof PROJECT_MEMBER_ROLES)[number];
const PROJECT_ROLE_MESSAGE = 'role must be viewer or user (ownership moves by transfer)';

export class CreateProjectDto {
  @ApiProperty({ format: 'uuid' })
  @LowercaseIds()
  @Matches(UUID, { message: UUID_MESSAGE })
  workspaceId!: string;

  @ApiProperty({ example: 'Onboarding checks' })
  @IsString()
  @Length(NAME_LENGTH.min, NAME_LENGTH.max)
  name!: string;
}

export class AddProjectMemberDto {
  @ApiProperty({ type: PrincipalDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PrincipalDto)
  principal!: PrincipalDto;

  @ApiPropertyOptional({ enum: PROJECT_MEMBER_ROLES, default: 'viewer' })
  @IsOptional()
  @IsIn(PROJECT_MEMBER_ROLES, { message: PROJECT_ROLE_MESSAGE })
  role?: ProjectMemberRoleName;
}

export class ProjectMemberRoleDto {
  @ApiProperty({ enum: PROJECT_MEMBER_ROLES, example: 'user' })
  @IsIn(PROJECT_MEMBER_ROLES, { message: PROJECT_ROLE_MESSAGE })
  role!: ProjectMemberRoleName;
}

export class RemoveProjectMembersDto {
  @ApiProperty({ type: [PrincipalDto], minItems: 1, maxItems: MAX_BATCH })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  // @ValidateNested descends into a nested array as if it were the list: [[]] would pass.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PrincipalDto)
  principals!: PrincipalDto[];
}

export class TransferOwnershipDto {
  @ApiProperty({ type: PrincipalDto, description: 'A current member of the project (R25)' })
  @IsObject()
  @ValidateNested()
  @Type(() => PrincipalDto)
  to!: PrincipalDto;
}
