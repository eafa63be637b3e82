// Messages for a request the JSON schema refused, in words a developer calling the API can act on: each names the
// property and the fix ("`nickname` is not a field this request takes: remove it"), never the schema's own jargon
// ("must NOT have additional properties", "must match a schema in anyOf").

/** One refusal from the schema validator (ajv's error object, as Fastify passes it on). */
export interface SchemaRefusal {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const FORMATS: Record<string, string> = {
  date: 'a date like 2009-12-15',
  'date-time': 'a date and time like 2026-11-23T10:05:00Z',
  uuid: 'an id like 3f2b6c1e-8a4d-4e0b-9f1a-2c3d4e5f6a7b',
  email: 'an email address like name@council.example',
};

const TYPES: Record<string, string> = {
  string: 'text in quotes',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

/** The property a refusal is about (a.b for nested ones), or `where` (body, querystring, params) for the whole. */
export function propertyOf(r: SchemaRefusal, where: string): string {
  const missing = r.params.missingProperty ?? r.params.additionalProperty;
  const path = r.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (typeof missing === 'string') return path ? `${path}.${missing}` : missing;
  return path || where;
}

/** What is wrong with it and how to put it right. */
export function messageFor(r: SchemaRefusal, property: string): string {
  const p = r.params;
  switch (r.keyword) {
    case 'required':
      return `${property} is required`;
    case 'additionalProperties':
      return `${property} is not a field this request takes: remove it (the fields are listed at /api/docs)`;
    case 'format':
      return `${property} must be ${FORMATS[String(p.format)] ?? `in the format ${String(p.format)}`}`;
    case 'type':
      return `${property} must be ${String(p.type)
        .split(',')
        .map((t) => TYPES[t] ?? t)
        .join(' or ')}`;
    case 'maxLength':
      return `${property} must be ${String(p.limit)} characters or fewer`;
    case 'minLength':
      return Number(p.limit) === 1
        ? `${property} must not be empty`
        : `${property} must be at least ${String(p.limit)} characters`;
    case 'maximum':
      return `${property} must be ${String(p.limit)} or less`;
    case 'minimum':
      return `${property} must be ${String(p.limit)} or more`;
    case 'maxItems':
      return `${property} must hold at most ${String(p.limit)} items`;
    case 'minItems':
      return `${property} must hold at least ${String(p.limit)} item${Number(p.limit) === 1 ? '' : 's'}`;
    case 'enum':
      return `${property} must be one of: ${((p.allowedValues as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${property} must be ${JSON.stringify(p.allowedValue)}`;
    case 'pattern':
      return `${property} is not in the expected form: see its description at /api/docs`;
    case 'anyOf':
    case 'oneOf':
      return `${property} is not one of the values it may take: see its description at /api/docs`;
    default:
      return `${property} ${r.message ?? 'is not valid'}`;
  }
}

/**
 * One message a property: ajv reports each branch of an anyOf as well as the anyOf itself; the first message about
 * a property is the most specific one (a wrong format before "not one of the values"), so it is kept. A choice (an
 * anyOf of constants) is the exception: its first branch alone would say "must be \"reception\"", so a property
 * refused only by constants and their anyOf is told every value it may take.
 */
export function fieldMessages(refusals: readonly SchemaRefusal[], where: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const byProperty = new Map<string, SchemaRefusal[]>();
  for (const r of refusals) {
    const property = propertyOf(r, where);
    byProperty.set(property, [...(byProperty.get(property) ?? []), r]);
  }
  for (const [property, list] of byProperty) {
    const constants = list.filter((r) => r.keyword === 'const').map((r) => r.params.allowedValue);
    const onlyChoice = constants.length > 1 && list.every((r) => ['const', 'anyOf', 'oneOf'].includes(r.keyword));
    fields[property] = onlyChoice
      ? `${property} must be one of: ${constants.map((v) => JSON.stringify(v)).join(', ')}`
      : messageFor(list[0] as SchemaRefusal, property);
  }
  return fields;
}
