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
import { LowercaseIds, MAX_BATCH, NAME_LENGTH } from './principal.dto.js';
import { UUID } from '#libs/http';

export class GroupNameDto {
  @ApiProperty({ example: 'Analysts' })
  @IsString()
  @Length(NAME_LENGTH.min, NAME_LENGTH.max)
  name!: string;
}

export class LinkDirectoryGroupDto extends GroupNameDto {
  @ApiProperty({
    example: '00gk9sd2x1ABCDEF',
    description: "The identity provider's group id, as it appears in the JWT `groups` claim",
  })
  @IsString()
  @Length(1, 256)
  directoryGroupId!: string;
}

export class GroupMembersDto {
  @ApiProperty({ type: [String], format: 'uuid', maxItems: MAX_BATCH, minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  @ArrayUnique()
  @LowercaseIds()
  @Matches(UUID, { each: true, message: 'each of userIds must be a UUID' })
  userIds!: string[];
}
