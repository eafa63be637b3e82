// A real OpenID Connect provider for single sign-on tests (issue 17 part 6): oidc-provider on 127.0.0.1 with a random
// port, configured like Microsoft Entra ID (oid, tid, roles, name and email claims in the id token), one confidential
// client whose redirect URIs are loopback (any port, so the app's can be set once it listens), accounts from a table
// in the test, and its development login form driven with fetch and a cookie jar.
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import Provider from 'oidc-provider';
import type { OidcConfig } from '../src/config.ts';

export interface DirectoryAccount {
  oid: string;
  tid: string;
  name: string;
  email?: string;
  /** Left out: the token carries no roles claim. */
  roles?: string[];
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by their login name at the provider. */
  accounts: Map<string, DirectoryAccount>;
  /** The app's OIDC settings for this provider (redirect URL on the given loopback origin). */
  settings(appOrigin?: string, overrides?: Partial<OidcConfig>): OidcConfig;
  /** Follows the provider's pages from the authorisation URL, signing in as `login`; returns the callback URL. */
  signIn(authorisationUrl: string, login: string): Promise<URL>;
  /** Adds an account with fresh ids in the tenant; returns its login name. */
  account(tid: string, fields?: Partial<DirectoryAccount>): string;
}

export const TENANT = '11111111-2222-4333-8444-555555555555';
export const OTHER_TENANT = '99999999-8888-4777-8666-555555555555';

export async function startProvider(): Promise<TestProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'handover-test';
  const clientSecret = randomBytes(24).toString('base64url');
  const accounts = new Map<string, DirectoryAccount>();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        // Native: loopback redirect URIs match on any port (RFC 8252), so the app may listen where it likes.
        application_type: 'native',
        redirect_uris: ['http://127.0.0.1/auth/oidc/callback'],
        post_logout_redirect_uris: ['http://127.0.0.1/login'],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], profile: ['name', 'oid', 'tid', 'roles'], email: ['email'] },
    // Entra puts these claims in the id token itself.
    conformIdTokenClaims: false,
    findAccount: async (_ctx, sub) => {
      const a = accounts.get(sub);
      if (!a) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          oid: a.oid,
          tid: a.tid,
          name: a.name,
          ...(a.email ? { email: a.email } : {}),
          ...(a.roles ? { roles: a.roles } : {}),
        }),
      };
    },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: [randomBytes(16).toString('hex')] },
  });
  server.on('request', provider.callback());
  // Longer than any test: an idle connection the app's fetch keeps is never closed under it (ECONNRESET).
  server.keepAliveTimeout = 120_000;
  after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    settings(appOrigin = 'http://127.0.0.1:9', overrides = {}) {
      return {
        issuer,
        clientId,
        clientSecret,
        privateKeyPem: null,
        redirectUrl: `${appOrigin}/auth/oidc/callback`,
        postLogoutRedirectUrl: `${appOrigin}/login`,
        allowedTenants: [],
        label: 'Sign in with your council account',
        allowHttp: true,
        ...overrides,
      };
    },
    account(tid, fields = {}) {
      const login = `person-${randomUUID()}`;
      accounts.set(login, {
        oid: randomUUID(),
        tid,
        name: 'Sam Directory',
        email: `${login}@sso.test.example`,
        ...fields,
      });
      return login;
    },
    async signIn(authorisationUrl, login) {
      const jar = new Map<string, string>();
      const send = async (url: URL, form?: Record<string, string>) => {
        const res = await fetch(url, {
          method: form ? 'POST' : 'GET',
          redirect: 'manual',
          headers: {
            cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
            ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          body: form ? new URLSearchParams(form).toString() : undefined,
        });
        for (const c of res.headers.getSetCookie()) {
          const [pair] = c.split(';');
          const eq = (pair as string).indexOf('=');
          jar.set((pair as string).slice(0, eq), (pair as string).slice(eq + 1));
        }
        return res;
      };
      let url = new URL(authorisationUrl);
      for (let hop = 0; hop < 16; hop++) {
        if (!url.href.startsWith(issuer)) return url;
        const res = await send(url);
        const location = res.headers.get('location');
        if (res.status >= 300 && res.status < 400 && location) {
          url = new URL(location, url);
          continue;
        }
        const html = await res.text();
        const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
        if (res.status !== 200 || !action) throw new Error(`the provider answered ${res.status} at ${url.pathname}`);
        const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? 'login';
        const form: Record<string, string> =
          prompt === 'login' ? { prompt, login, password: 'not-checked' } : { prompt };
        const posted = await send(new URL(action, url), form);
        url = new URL(posted.headers.get('location') ?? '', url);
      }
      throw new Error('the provider did not send the browser back');
    },
  };
}
