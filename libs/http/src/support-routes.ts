import type { ExecutionContext } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { OrganizationErrors, type Actor } from '#libs/domain';
import { ApiError } from './api-error.js';

/** Everything under /v1/support is Support's ("Request to Support team"); auditors read it. */
const SUPPORT_PREFIX = 'v1/support/';

/**
 * One answer per situation (R38): every support route refuses anyone but Support and auditors
 * the same way, before the route looks anything up, so nothing of any organization shows — not
 * even whether it exists. Auditors read; a write by one is READ_ONLY_ACTOR, as everywhere.
 * Decided here, in the authentication guard, so that no controller has to remember it.
 */
export class SupportRoutes {
  /** Whether each handler is a support route, read once from its route metadata. */
  private readonly handlers = new WeakMap<object, boolean>();

  admit(context: ExecutionContext, actor: Actor, method: string): void {
    if (!this.isSupportRoute(context) || actor.type === 'support') return;
    if (actor.type === 'auditor') {
      if (method === 'GET' || method === 'HEAD') return;
      throw OrganizationErrors.readOnlyActor();
    }
    throw new ApiError(
      403,
      'SUPPORT_ONLY',
      'This route is for Support operators, who authenticate with a support token. ' +
        "To change your organization's catalog or entitlements, ask the Support team; " +
        'your own organization is read and changed under /v1/orgs/{orgId}.',
    );
  }

  /**
   * From the route's metadata rather than the request path: Express matches paths
   * case-insensitively, so `/V1/Support/…` reaches these handlers too.
   */
  private isSupportRoute(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let isSupport = this.handlers.get(handler);
    if (isSupport === undefined) {
      const path = [context.getClass(), handler]
        .flatMap((target) => (Reflect.getMetadata(PATH_METADATA, target) as unknown) ?? [])
        .map((part) => String(part).replace(/^\/+|\/+$/g, ''))
        .filter(Boolean)
        .join('/');
      isSupport = `${path.toLowerCase()}/`.startsWith(SUPPORT_PREFIX);
      this.handlers.set(handler, isSupport);
    }
    return isSupport;
  }
}
