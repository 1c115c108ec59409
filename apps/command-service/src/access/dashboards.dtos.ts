import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { LowercaseIds, MAX_BATCH, NAME_LENGTH, UUID_MESSAGE } from './principal.dto.js';
import { UUID } from '#libs/http';

export class CreateDashboardDto {
  @ApiProperty({ format: 'uuid' })
  @LowercaseIds()
  @Matches(UUID, { message: UUID_MESSAGE })
  workspaceId!: string;

  @ApiProperty({ example: 'Weekly approvals' })
  @IsString()
  @Length(NAME_LENGTH.min, NAME_LENGTH.max)
  name!: string;

  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: MAX_BATCH,
    description: 'Projects of the workspace it reads; the creator must access each (R29)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  @ArrayUnique()
  @LowercaseIds()
  @Matches(UUID, { each: true, message: 'each of projectIds must be a UUID' })
  projectIds!: string[];
}
