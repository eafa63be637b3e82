// What a SCIM client reads first (RFC 7643 §5–7): the service provider's features, its one resource type (User, with
// the enterprise extension) and the schemas of the attributes Handover keeps. Only what Handover really does is
// claimed: PATCH and filters (eq on userName, externalId, id) yes; bulk, sort, ETags and passwords no.
import { CORE_USER, ENTERPRISE_USER, LIST_SCHEMA } from './resource.ts';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0';

export function serviceProviderConfig(base: string) {
  return {
    schemas: [`${CORE}:ServiceProviderConfig`],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: 200 },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Provisioning secret',
        description: 'The secret made on Handover’s provisioning page, sent as "Authorization: Bearer <secret>"',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

function userType(base: string) {
  return {
    schemas: [`${CORE}:ResourceType`],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'A member of staff’s account',
    schema: CORE_USER,
    schemaExtensions: [{ schema: ENTERPRISE_USER, required: false }],
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
  };
}

export function resourceTypes(base: string) {
  return list([userType(base)]);
}

type Attr = { name: string; type?: string; required?: boolean; unique?: boolean; mutability?: string } & Record<
  string,
  unknown
>;

function attribute(a: Attr) {
  return {
    type: 'string',
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: a.unique ? 'server' : 'none',
    ...a,
  };
}

function userSchema(base: string) {
  return {
    schemas: [`${CORE}:Schema`],
    id: CORE_USER,
    name: 'User',
    description: 'A member of staff’s account',
    attributes: [
      attribute({
        name: 'userName',
        required: true,
        unique: true,
        description: 'Work email address: the sign-in name',
      }),
      attribute({ name: 'externalId', caseExact: true, description: 'The directory’s object id' }),
      attribute({
        name: 'name',
        type: 'complex',
        subAttributes: [
          attribute({ name: 'givenName' }),
          attribute({ name: 'familyName' }),
          attribute({ name: 'formatted' }),
        ],
      }),
      attribute({ name: 'displayName' }),
      attribute({ name: 'title' }),
      attribute({
        name: 'emails',
        type: 'complex',
        multiValued: true,
        subAttributes: [
          attribute({ name: 'value' }),
          attribute({ name: 'type' }),
          attribute({ name: 'primary', type: 'boolean' }),
        ],
      }),
      attribute({
        name: 'active',
        type: 'boolean',
        description: 'false closes the account: sessions and tokens end at once',
      }),
    ],
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${CORE_USER}` },
  };
}

function enterpriseSchema(base: string) {
  return {
    schemas: [`${CORE}:Schema`],
    id: ENTERPRISE_USER,
    name: 'EnterpriseUser',
    description: 'Department (which moves teams by the council’s mapping) and line manager',
    attributes: [
      attribute({ name: 'department' }),
      attribute({
        name: 'manager',
        type: 'complex',
        subAttributes: [
          attribute({ name: 'value', description: 'The manager’s SCIM id' }),
          attribute({ name: '$ref', type: 'reference', mutability: 'readOnly' }),
        ],
      }),
    ],
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${ENTERPRISE_USER}` },
  };
}

export function schemas(base: string) {
  return list([userSchema(base), enterpriseSchema(base)]);
}

export function list<T>(resources: T[], startIndex = 1, totalResults = resources.length) {
  return { schemas: [LIST_SCHEMA], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}
