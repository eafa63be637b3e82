// What the provisioning tests share: a council (and a second one), the app listening on 127.0.0.1, a provisioning
// secret made through the administrator's service, and a client that calls /scim/v2 over real HTTP the way Entra
// ID's provisioning service does (application/scim+json, "Authorization: Bearer <secret>").
import { after } from 'node:test';
import { createApp } from '../src/app.ts';
import { authUser } from '../src/modules/demo/journeys.ts';
import { fixedClock, seedOrganisation, testConfig, testDatabase, userByRole } from './helpers.ts';

export const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface ScimAnswer {
  status: number;
  type: string;
  // biome-ignore lint/suspicious/noExplicitAny: SCIM resources are read field by field in the tests
  body: any;
}

export async function scimSetup(label: string) {
  const { db } = await testDatabase();
  const org = await seedOrganisation(db, label);
  const other = await seedOrganisation(db, `${label}x`);
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const app = await createApp({ db, config: testConfig(), now: clock.now });
  await app.listen({ host: '127.0.0.1', port: 0 });
  after(() => app.close());
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app is not listening on a TCP port');
  const origin = `http://127.0.0.1:${address.port}`;
  const admin = await authUser(db, userByRole(org, 'admin').id);
  const otherAdmin = await authUser(db, userByRole(other, 'admin').id);
  const { id: secretId, secret } = await app.services.scimAdmin.createSecret(admin, { label: 'Entra ID provisioning' });
  const { secret: otherSecret } = await app.services.scimAdmin.createSecret(otherAdmin, { label: 'Entra ID' });

  /** One SCIM call over HTTP; the body is sent as given (a string as it is, anything else as JSON). */
  async function call(
    method: string,
    path: string,
    body?: unknown,
    opts: { secret?: string | null; contentType?: string } = {},
  ): Promise<ScimAnswer> {
    const s = opts.secret === undefined ? secret : opts.secret;
    const res = await fetch(`${origin}/scim/v2${path}`, {
      method,
      headers: {
        accept: 'application/scim+json',
        ...(s === null ? {} : { authorization: `Bearer ${s}` }),
        ...(body === undefined ? {} : { 'content-type': opts.contentType ?? 'application/scim+json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null };
  }

  /** A joiner as Entra sends one (userPrincipalName → userName, objectId → externalId). */
  function entraUser(local: string, extra: Record<string, unknown> = {}) {
    return {
      schemas: [CORE, ENTERPRISE],
      externalId: `oid-${local}`,
      userName: `${local}@${org.users[0]?.email.split('@')[1]}`,
      active: true,
      displayName: `${local[0]?.toUpperCase()}${local.slice(1)} Joiner`,
      name: { givenName: `${local[0]?.toUpperCase()}${local.slice(1)}`, familyName: 'Joiner' },
      emails: [{ primary: true, type: 'work', value: `${local}@${org.users[0]?.email.split('@')[1]}` }],
      title: 'Social Worker',
      ...extra,
    };
  }

  const patch = (...Operations: Record<string, unknown>[]) => ({ schemas: [PATCH_OP], Operations });

  return { db, org, other, app, clock, origin, admin, secretId, secret, otherSecret, call, entraUser, patch };
}
