// A SCIM PatchOp (RFC 7644 §3.5.2) read into the fields to set, with the ways Entra ID's provisioning service
// writes it: "Replace"/"Add"/"Remove" capitalised, "False" as a string for active, the manager as a bare id, and an
// operation without a path whose value is an object of attributes (some of them dotted paths or extension URNs).
import {
  ENTERPRISE_USER,
  normalPath,
  PATCH_SCHEMA,
  readObject,
  ScimError,
  setAttribute,
  type UserFields,
} from './resource.ts';

/** Attributes that may be taken away (set to nothing) by "remove"; the rest are required or read-only. */
const REMOVABLE: Record<string, keyof UserFields> = {
  externalid: 'externalId',
  title: 'title',
  'name.givenname': 'givenName',
  'name.familyname': 'familyName',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:department': 'department',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:manager': 'managerId',
};

const syntax = (detail: string) => new ScimError(400, detail, 'invalidSyntax');

/** The fields a PatchOp sets, in order (a later operation on the same attribute wins). */
export function readPatch(body: unknown): UserFields {
  const b = body as Record<string, unknown> | null;
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw syntax('The body must be a PatchOp JSON object');
  const schemas = b.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(PATCH_SCHEMA)) throw syntax(`schemas must be ["${PATCH_SCHEMA}"]`);
  const ops = b.Operations ?? b.operations;
  if (!Array.isArray(ops) || ops.length === 0)
    throw syntax(
      'Operations must be a list of at least one operation, like {"op": "replace", "path": "active", "value": false}',
    );
  const out: UserFields = {};
  ops.forEach((raw, i) => {
    const op = raw as Record<string, unknown> | null;
    const name = typeof op?.op === 'string' ? op.op.toLowerCase() : '';
    if (!op || !['add', 'replace', 'remove'].includes(name))
      throw syntax(`Operations[${i}].op must be "add", "replace" or "remove"`);
    const path = typeof op.path === 'string' && op.path.trim() !== '' ? normalPath(op.path) : null;
    if (name === 'remove') {
      const field = path ? REMOVABLE[path] : undefined;
      if (!field)
        throw new ScimError(
          400,
          `Operations[${i}].path: ${path ? `${String(op.path)} cannot be removed` : 'remove needs a path'} (removable: externalId, title, name.givenName, name.familyName, department, manager)`,
          path ? 'invalidPath' : 'noTarget',
        );
      (out as Record<string, unknown>)[field] = null;
      return;
    }
    if (path === null) {
      if (!op.value || typeof op.value !== 'object' || Array.isArray(op.value))
        throw syntax(`Operations[${i}]: without a path, value must be an object of attributes, like {"active": false}`);
      readObject(op.value as Record<string, unknown>, out);
      return;
    }
    if (!('value' in op)) throw syntax(`Operations[${i}].value is missing: send the new value of ${String(op.path)}`);
    // A complex attribute as a whole (name, or the enterprise extension) is read like a body's.
    const complex = path === 'name' || path === ENTERPRISE_USER.toLowerCase();
    if (complex && op.value && typeof op.value === 'object') {
      readObject({ [path]: op.value }, out);
      return;
    }
    // "add" on a single-valued attribute replaces it (RFC 7644 §3.5.2.1).
    if (!setAttribute(out, path, op.value))
      throw new ScimError(
        400,
        `Operations[${i}].path: ${String(op.path)} is not an attribute Handover keeps (use userName, externalId, displayName, name.givenName, name.familyName, title, active, emails[type eq "work"].value, department or manager)`,
        'invalidPath',
      );
  });
  return out;
}
