// The engine's fixed inputs, declared once (pages and API). A step's decision and a protocol's start form are read by
// forms.ts instead: their fields come from the protocol definition (data a council can change), not from code.
import { f, type InputOf, input } from '../../http/schema-input.ts';

/** Passing an open step to another member of staff (the owner's manager), with the step's version as read. */
export const ReassignInput = input({
  owner_user_id: f.id('Who takes this step on', {
    required: true,
    missing: 'Choose who takes this step on',
    invalid: 'Choose who takes this step on',
  }),
  version: f.integer('Version', 1, 2_147_483_647, {
    required: true,
    missing: 'version is required: send the version you read',
    invalid: 'version is required: send the version you read',
  }),
});
export type ReassignInput = InputOf<typeof ReassignInput>;
