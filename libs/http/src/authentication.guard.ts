import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Authenticator } from '#libs/auth';
import type { IdempotentRequest } from './request-context.decorator.js';
import type { Actor } from '#libs/domain';
import { AUTHENTICATOR } from './tokens.js';
import { IS_PUBLIC } from './public.decorator.js';
import { SupportRoutes } from './support-routes.js';

export type AuthenticatedRequest = Request & { actor?: Actor; idempotency?: IdempotentRequest };

/** Every request is authenticated unless its route is @Public (S1); support routes admit only operators. */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  /**
   * Whether each route handler (of each controller class) is public, read once: decorators are applied when the class
   * is defined, so the answer never changes, and asking reflect-metadata on every request
   * showed in a read's profile.
   */
  private readonly publicHandlers = new WeakMap<object, WeakMap<object, boolean>>();
  private readonly supportRoutes = new SupportRoutes();

  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic(context)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.actor = await this.authenticator.authenticate(request.headers.authorization);
    this.supportRoutes.admit(context, request.actor, request.method);
    return true;
  }

  private isPublic(context: ExecutionContext): boolean {
    const controller = context.getClass();
    const handler = context.getHandler();
    let handlers = this.publicHandlers.get(controller);
    if (handlers === undefined) this.publicHandlers.set(controller, (handlers = new WeakMap()));
    let isPublic = handlers.get(handler);
    if (isPublic === undefined) {
      isPublic =
        this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, controller]) === true;
      handlers.set(handler, isPublic);
    }
    return isPublic;
  }
}
