// The organisations module's inputs (schemas.ts) through the input adapter (src/http/schema-input.ts): a Set up form
// and an API body read to the same typed input; rules across fields (an outside organisation's name, the age range)
// come with the field messages; lists (checkboxes or JSON arrays) are checked item by item; a PATCH reads only the
// fields it sends; what the adapter reads, the API schema accepts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { HubInput, NewUserInput, ServiceInput, TeamInput, UserChangeInput, UserEditInput } from './schemas.ts';

const ctx = { today: '2026-12-05' };
const SERVICE = '0b9e3c52-5a0e-4a61-9d55-2f6f1c1e0a11';
const HUB = '5c0f7a2e-1b3d-4e5f-8a9b-0c1d2e3f4a5b';
const TEAM_A = 'aaaaaaaa-1111-4222-8333-444444444444';

test('a team form (strings, one checkbox) and an API body (numbers, arrays) read to the same input', () => {
  const form = TeamInput.read(
    {
      name: ' Moorland Team ',
      service_id: SERVICE.toUpperCase(),
      remit_min_age: '4',
      remit_max_age: '19',
      remit_case_types: 'ehcp',
      locality_id: '',
      hub_id: HUB,
    },
    ctx,
  );
  assert.deepEqual(form.errors, {});
  const api = TeamInput.read(
    {
      name: 'Moorland Team',
      service_id: SERVICE,
      remit_min_age: 4,
      remit_max_age: 19,
      remit_case_types: ['ehcp', 'ehcp'],
      locality_id: null,
      hub_id: HUB,
    },
    ctx,
  );
  assert.deepEqual(api.errors, {});
  assert.deepEqual(form.input, api.input);
  assert.deepEqual(form.input, {
    name: 'Moorland Team',
    service_id: SERVICE,
    remit_min_age: 4,
    remit_max_age: 19,
    remit_case_types: ['ehcp'],
    locality_id: null,
    hub_id: HUB,
  });
  assert.ok(Value.Check(TeamInput.schema, api.input), 'what the adapter reads, the API schema accepts');
  // Left out, the remit is 0 to 25 and any case type.
  const bare = TeamInput.read({ name: 'Bare Team', service_id: SERVICE }, ctx);
  assert.deepEqual([bare.input.remit_min_age, bare.input.remit_max_age, bare.input.remit_case_types], [0, 25, []]);
});

test('every problem with a team at once, each on its field; the age rule runs only on ages that read well', () => {
  const { input, errors } = TeamInput.read(
    {
      name: '',
      service_id: 'not-a-service',
      remit_min_age: '16',
      remit_max_age: '12',
      remit_case_types: ['child_in_need', 'astrology'],
      hub_id: 'nowhere',
    },
    ctx,
  );
  assert.deepEqual(errors, {
    name: 'Enter the team’s name, for example Disabled Children’s Team North',
    service_id: 'Choose the service the team belongs to',
    remit_max_age: 'Oldest age must be the same as or more than the youngest age (16)',
    remit_case_types: 'Choose case types from the list',
    hub_id: 'Choose a SEND hub from the list',
  });
  assert.equal(input.remit_max_age, undefined, 'a field with a message has no value');
  assert.equal(input.remit_min_age, 16);
  assert.deepEqual(
    TeamInput.read({ name: 'T', service_id: SERVICE, remit_min_age: '-1', remit_max_age: 26 }, ctx).errors,
    {
      remit_min_age: 'Youngest age must be a whole number from 0 to 25',
      remit_max_age: 'Oldest age must be a whole number from 0 to 25',
    },
  );
});

test('an outside organisation’s service needs its organisation; a checkbox ticked reads as yes', () => {
  assert.deepEqual(ServiceInput.read({ name: 'Police Liaison', kind: 'wizards', external: 'yes' }, ctx).errors, {
    kind: 'Choose what kind of service it is',
    organisation: 'Enter the outside organisation it belongs to, for example Devon Partnership NHS Trust',
  });
  const own = ServiceInput.read({ name: 'Adult Social Care', kind: 'adult' }, ctx);
  assert.deepEqual(own, {
    input: { name: 'Adult Social Care', kind: 'adult', organisation: null, external: false },
    errors: {},
  });
  const trust = ServiceInput.read(
    { name: 'Therapies', kind: 'health', external: true, organisation: 'NHS Trust' },
    ctx,
  );
  assert.equal(trust.input.external, true);
  assert.deepEqual(trust.errors, {});
  assert.deepEqual(ServiceInput.read({ name: 'x'.repeat(201), kind: 'adult', external: 'perhaps' }, ctx).errors, {
    name: 'Name must be 200 characters or fewer',
    external: 'Choose whether the service is run by an outside organisation',
  });
  assert.deepEqual(HubInput.read({ name: 'Hub' }, ctx).errors, {
    locality_id: 'Choose the locality the hub belongs to',
  });
});

test('a new user: email lower-cased, password kept exactly as typed, roles and teams checked item by item', () => {
  const { input, errors } = NewUserInput.read(
    {
      email: ' Olu.Therapist@Org.Example ',
      display_name: 'Olu Therapist',
      roles: ['advice_giver', 'advice_giver'],
      team_ids: [TEAM_A.toUpperCase(), TEAM_A],
      password: '  a long and quiet passphrase  ',
      phone: '',
    },
    ctx,
  );
  assert.deepEqual(errors, {});
  assert.equal(input.email, 'olu.therapist@org.example');
  assert.equal(input.password, '  a long and quiet passphrase  ');
  assert.deepEqual(input.roles, ['advice_giver']);
  assert.deepEqual(input.team_ids, [TEAM_A]);
  assert.equal(input.phone, null);
  assert.equal(input.line_manager_id, null);
  assert.ok(Value.Check(NewUserInput.schema, input));

  assert.deepEqual(
    NewUserInput.read(
      { email: 'not an email', display_name: '', password: 'short', team_ids: ['x'], phone: 'call me' },
      ctx,
    ).errors,
    {
      email: 'Enter an email address in the correct format, like name@council.gov.uk',
      display_name: 'Enter the person’s full name',
      phone: 'Enter a phone number, like 01632 960 001 or +44 7700 900 982',
      roles: 'Choose at least one role',
      team_ids: 'Choose teams from the list',
      password: 'Password must be at least 12 characters; a passphrase of three or four words works well',
    },
  );
  assert.equal(
    NewUserInput.read({ roles: ['wizard'] }, ctx).errors.roles,
    'Choose roles from the list',
    'an unknown role is named as such, not as a missing one',
  );
  assert.equal(NewUserInput.read({}, ctx).errors.password, 'Enter an initial password for them');
});

test('the edit page reads every field (left empty is emptied); a PATCH reads only the fields it sends', () => {
  // The form carries the version it was read at as a hidden field (issue 15 item 8).
  const page = UserEditInput.read({ display_name: 'Sam', roles: 'social_worker', version: '3' }, ctx);
  assert.deepEqual(page, {
    input: {
      display_name: 'Sam',
      job_title: null,
      phone: null,
      roles: ['social_worker'],
      team_ids: [],
      line_manager_id: null,
      version: 3,
    },
    errors: {},
  });

  assert.deepEqual(UserChangeInput.read({ active: false }, ctx), { input: { active: false }, errors: {} });
  assert.deepEqual(UserChangeInput.read({ job_title: null, team_ids: [] }, ctx), {
    input: { job_title: null, team_ids: [] },
    errors: {},
  });
  // A required field may be left out, not emptied.
  assert.deepEqual(UserChangeInput.read({ display_name: ' ', roles: [], active: 'maybe' }, ctx).errors, {
    display_name: 'Enter the person’s full name',
    roles: 'Choose at least one role',
    active: 'active must be true or false',
  });

  // The API body: every field optional, required ones never null, at least one field, nothing else.
  const accepts = (body: unknown) => Value.Check(UserChangeInput.schema, body);
  assert.ok(accepts({ active: false }));
  assert.ok(accepts({ line_manager_id: null }));
  assert.ok(!accepts({}), 'an empty change is refused');
  assert.ok(!accepts({ display_name: null }));
  assert.ok(!accepts({ roles: [] }));
  assert.ok(!accepts({ email: 'new@example.org' }), 'the email is not changed here');
  assert.ok(!accepts({ active: 'no' }));
  // The whole input's schema still requires its required fields.
  assert.ok(!Value.Check(UserEditInput.schema, { active: false }));
});
