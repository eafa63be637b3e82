// The OpenID Connect client (openid-client v6): the issuer's metadata, discovered on first use and kept; the
// authorisation request (code + PKCE S256 + state + nonce); the code exchange with the id token checked by
// openid-client (signature, issuer, audience, nonce, expiry with a small tolerance); the provider's sign-out address.
// Nothing here logs or returns a token: callers get the claims they ask for.
import { createPrivateKey } from 'node:crypto';
import * as oidc from 'openid-client';
import type { OidcConfig } from '../../config.ts';

/** Seconds either way a token's times may be off: small, so an expired token is refused soon after it expires. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** How long one call to the issuer may take before it counts as unreachable. */
const ISSUER_TIMEOUT_MS = 10_000;
/** After a failed discovery, wait this long before asking the issuer again (a burst of sign-ins asks once). */
const RETRY_AFTER_MS = 30_000;

const fetchWithTimeout: oidc.CustomFetch = (url, options) =>
  fetch(url, { ...options, signal: AbortSignal.timeout(ISSUER_TIMEOUT_MS) } as RequestInit);

export class SsoUnavailable extends Error {}

/** Why a sign-in failed, for the log line and the page's status: a code, never a token or a claim's value. */
export class SsoFailure extends Error {
  constructor(
    readonly status: 400 | 401 | 403,
    readonly reason: string,
    readonly page: 'failed' | 'tenant' | 'no-role' | 'inactive' | 'refused' = 'failed',
  ) {
    super(reason);
  }
}

/** What openid-client's error says, without the values it may quote: its code and the OAuth error name. */
export function describeError(e: unknown): string {
  const err = e as { code?: unknown; error?: unknown; name?: unknown; cause?: unknown };
  const parts = [typeof err?.name === 'string' ? err.name : 'Error'];
  if (typeof err?.code === 'string') parts.push(err.code);
  if (typeof err?.error === 'string' && /^[\w.-]{1,60}$/.test(err.error)) parts.push(err.error);
  // Down the chain of causes: each one's code, and the name of the claim that failed (nonce, exp, iss…), never
  // a value.
  let cause = err?.cause as { code?: unknown; claim?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; cause && typeof cause === 'object' && depth < 4; depth++) {
    if (typeof cause.code === 'string' && !parts.includes(cause.code)) parts.push(cause.code);
    if (typeof cause.claim === 'string' && /^\w{1,20}$/.test(cause.claim)) parts.push(`claim ${cause.claim}`);
    cause = cause.cause as typeof cause;
  }
  return parts.join(' ');
}

export interface CodeResult {
  claims: Record<string, unknown>;
  idToken: string;
}

export class OidcClient {
  private cached: { skew: number; config: oidc.Configuration } | null = null;
  private pending: Promise<oidc.Configuration> | null = null;
  private failedAt = 0;
  private lastFailure = '';

  constructor(
    readonly settings: OidcConfig,
    /** The app's clock: token times are judged by it (tests move it; in service it is the real time). */
    private readonly now: () => Date,
  ) {}

  private clientAuth(): oidc.ClientAuth {
    if (this.settings.clientSecret) return oidc.ClientSecretPost(this.settings.clientSecret);
    const key = createPrivateKey(this.settings.privateKeyPem as string).toCryptoKey(
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    ) as CryptoKey;
    return oidc.PrivateKeyJwt(key);
  }

  /**
   * The issuer's metadata: discovered once and kept; after a failure, asked again at most every 30 seconds. Token
   * times are judged by the app's clock (in service the real time, so discovered once; a test that moves the clock
   * gets a configuration for its moment, to the minute).
   */
  async configuration(): Promise<oidc.Configuration> {
    const skew = Math.round((this.now().getTime() - Date.now()) / 60_000) * 60;
    if (this.cached?.skew === skew) return this.cached.config;
    if (this.pending) return this.pending;
    if (Date.now() - this.failedAt < RETRY_AFTER_MS) throw new SsoUnavailable(this.lastFailure);
    // Once more straight away on failure: a kept-alive connection the issuer has just closed fails the first try.
    this.pending = this.discover(skew)
      .catch(() => this.discover(skew))
      .then((config) => {
        this.cached = { skew, config };
        return config;
      })
      .catch((e) => {
        this.failedAt = Date.now();
        this.lastFailure = `the issuer could not be reached or answered wrongly (${describeError(e)})`;
        throw new SsoUnavailable(this.lastFailure);
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }

  private discover(skew: number): Promise<oidc.Configuration> {
    return oidc.discovery(
      new URL(this.settings.issuer),
      this.settings.clientId,
      { [oidc.clockTolerance]: CLOCK_TOLERANCE_SECONDS, [oidc.clockSkew]: skew },
      this.clientAuth(),
      {
        [oidc.customFetch]: fetchWithTimeout,
        execute: this.settings.allowHttp ? [oidc.allowInsecureRequests] : [],
      },
    );
  }

  /**
   * At start-up: the issuer answers and knows this client (a token request with a code that cannot exist: a wrong
   * secret or key is refused as invalid_client before the code is looked at). Returns null, or why not.
   */
  async check(): Promise<string | null> {
    let config: oidc.Configuration;
    try {
      config = await this.configuration();
    } catch (e) {
      return (e as Error).message;
    }
    try {
      await oidc.genericGrantRequest(config, 'authorization_code', {
        code: 'handover-start-up-check',
        redirect_uri: this.settings.redirectUrl,
        code_verifier: oidc.randomPKCECodeVerifier(),
      });
      return null;
    } catch (e) {
      const error = (e as { error?: unknown }).error;
      if (error === 'invalid_client' || error === 'unauthorized_client')
        return `the issuer refused the client id or its secret or key (${error})`;
      if (typeof error === 'string') return null;
      return `the issuer's token endpoint could not be reached (${describeError(e)})`;
    }
  }

  /** The address to send the browser to, with fresh PKCE, state and nonce (returned for keeping server-side). */
  async authorisationRequest(): Promise<{ url: string; state: string; nonce: string; codeVerifier: string }> {
    const config = await this.configuration();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl,
      scope: 'openid profile email',
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state, nonce, codeVerifier };
  }

  /** Exchanges the code; openid-client checks state, nonce, PKCE and the id token. Throws SsoFailure. */
  async exchange(
    callbackQuery: string,
    checks: { state: string; nonce: string; codeVerifier: string },
  ): Promise<CodeResult> {
    const config = await this.configuration();
    const current = new URL(this.settings.redirectUrl);
    current.search = callbackQuery;
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
    } catch (e) {
      throw new SsoFailure(401, `the provider's answer was refused (${describeError(e)})`);
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new SsoFailure(401, 'the provider sent no id token');
    return { claims: claims as Record<string, unknown>, idToken: tokens.id_token };
  }

  /** The provider's sign-out address with the id token as hint, or null when it has none (or is unreachable). */
  async endSessionUrl(idToken: string): Promise<string | null> {
    let config: oidc.Configuration;
    try {
      config = await this.configuration();
    } catch {
      return null;
    }
    if (!config.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(config, {
      id_token_hint: idToken,
      post_logout_redirect_uri: this.settings.postLogoutRedirectUrl,
    }).href;
  }
}
