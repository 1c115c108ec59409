import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { UUID } from '#libs/http';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

// Shapes only: the rules (catalog membership, escalation, uniqueness) live in the deciders.
const PERMISSION = /^[a-z0-9_.:-]{1,128}$/;
const PERMISSION_MESSAGE = 'each permission must match [a-z0-9_.:-]{1,128}';
const ROLE_ID = new RegExp(`^(full_access|default_access|${UUID.source.slice(1, -1)})$`, 'i');
const ROLE_ID_MESSAGE = 'roleId must be full_access, default_access or a custom role id';

export class FirstUserDto {
  @ApiProperty({ example: 'admin@acme.test' })
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

export class CreateOrganizationDto {
  @ApiProperty({ example: 'Acme' })
  @IsString()
  @Length(1, 128)
  name!: string;

  @ApiPropertyOptional({
    example: ['checks.read', 'checks.write'],
    description:
      'truora.users and truora.keys are added unless withoutDefaultAdminPermissions; the entitlements truora.roles, truora.workspaces and truora.directory only when listed (R1, R6, R42)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(PERMISSION, { each: true, message: PERMISSION_MESSAGE })
  catalog?: string[];

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  withoutDefaultAdminPermissions?: boolean;

  @ApiProperty({ type: FirstUserDto })
  // Without these, a missing or non-object firstUser passes @ValidateNested untouched.
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => FirstUserDto)
  firstUser!: FirstUserDto;
}

export class PermissionsDto {
  @ApiProperty({ example: ['truora.roles'] })
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(PERMISSION, { each: true, message: PERMISSION_MESSAGE })
  permissions!: string[];
}

export class CreateRoleDto extends PermissionsDto {
  @ApiProperty({ example: 'Analyst' })
  @IsString()
  @Length(1, 64)
  name!: string;
}

export class UpdateRoleDto {
  @ApiPropertyOptional({ example: 'Senior analyst' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  name?: string;

  @ApiPropertyOptional({ example: ['checks.read'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(PERMISSION, { each: true, message: PERMISSION_MESSAGE })
  permissions?: string[];
}

export class InviteMemberDto {
  @ApiProperty({ example: 'new.colleague@acme.test' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({
    example: 'default_access',
    description: 'Defaults to default_access (R9)',
  })
  @IsOptional()
  @Matches(ROLE_ID, { message: ROLE_ID_MESSAGE })
  roleId?: string;
}

export class ChangeMemberRoleDto {
  @ApiProperty({ example: 'full_access' })
  @Matches(ROLE_ID, { message: ROLE_ID_MESSAGE })
  roleId!: string;
}

export class IssueApiKeyDto {
  @ApiProperty({ example: 'CI pipeline' })
  @IsString()
  @Length(1, 128)
  name!: string;

  @ApiPropertyOptional({
    example: '2027-01-01T00:00:00Z',
    description: 'Never expires when left out',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}
