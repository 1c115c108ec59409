/** The Authenticator the guard uses (libs/auth), provided by HttpCoreModule. */
export const AUTHENTICATOR = Symbol('Authenticator');
