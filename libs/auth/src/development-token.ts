import { SignJWT } from 'jose';
import type { JwtSettings } from '#libs/config';

export interface DevelopmentTokenClaims {
  subject: string;
  email: string;
  groups?: string[];
  /** Lifetime, e.g. '12h'. */
  expiresIn?: string;
}

/** Mints an HS256 member token with the development secret (the token CLI and tests). */
export async function mintDevelopmentToken(
  settings: JwtSettings,
  claims: DevelopmentTokenClaims,
): Promise<string> {
  if (!settings.secret) throw new Error('Minting tokens needs the HS256 secret (JWT_SECRET).');
  return new SignJWT({ email: claims.email, groups: claims.groups ?? [] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.subject)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '12h')
    .sign(new TextEncoder().encode(settings.secret));
}
