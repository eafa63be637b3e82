// The provisioning page's inputs: a new secret's name, and one department's team. (The SCIM calls themselves are
// read by resource.ts and patch.ts, in SCIM's own terms.)
import { f, type InputOf, input } from '../../http/schema-input.ts';

export const SecretInput = input({
  label: f.text('Name', 100, {
    required: true,
    missing: 'Enter a name for the secret, like “Entra ID provisioning”',
    hint: 'So you know which directory uses it, like “Entra ID provisioning”',
  }),
});
export type SecretInput = InputOf<typeof SecretInput>;

export const MappingInput = input({
  department: f.text('Department', 200, {
    required: true,
    missing: 'Enter the department as the directory spells it, like “Children’s Social Care North”',
    hint: 'As the directory sends it (the department attribute); capitals do not matter',
  }),
  team_id: f.id('Team', {
    required: true,
    missing: 'Choose the team for this department',
    invalid: 'Choose a team from the list',
  }),
});
export type MappingInput = InputOf<typeof MappingInput>;
