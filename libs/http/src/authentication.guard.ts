import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Authenticator } from '#libs/auth';
import type { IdempotentRequest } from './request-context.decorator.js';
import type { Actor } from '#libs/domain';
import { AUTHENTICATOR } from './tokens.js';
import { IS_PUBLIC } from './public.decorator.js';

export type AuthenticatedRequest = Request & { actor?: Actor; idempotency?: IdempotentRequest };

/** Every request is authenticated unless its route is @Public (S1). */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.actor = await this.authenticator.authenticate(request.headers.authorization);
    return true;
  }
}
