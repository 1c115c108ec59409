import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'accessLedger:isPublic';

/** Health and docs are the only routes served without authentication (S1). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
