// Partner organisations' inputs: a member invited by their organisation's lead, and a lead chosen by the council's
// administrator. Taking a request, deactivating a member and making a lead need no input beyond their address.
import { EMAIL } from '../../http/forms.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';

const lowerId: Check<string> = (v) => ({ ok: true, value: v.toLowerCase() });
const EMAIL_FORMAT = 'Enter an email address in the correct format, like name@nhs.net';

/** A new member of the lead's organisation: an advice giver's account, invited by email to set a password. */
export const MemberInviteInput = input({
  display_name: f.text('Full name', 100, {
    required: true,
    missing: 'Enter the person’s full name',
    invalid: 'Enter the person’s full name in 100 characters or fewer',
  }),
  email: f.text('Email address', 254, {
    required: true,
    missing: 'Enter their work email address, like name@nhs.net',
    invalid: EMAIL_FORMAT,
    hint: 'They sign in with it, and the invitation goes to it',
    check: (v) => {
      const email = v.toLowerCase();
      return EMAIL.test(email) ? { ok: true, value: email } : { ok: false, message: EMAIL_FORMAT };
    },
  }),
  job_title: f.text('Job title', 100, {
    required: true,
    missing: 'Enter their job title, like Community paediatrician',
    invalid: 'Enter their job title in 100 characters or fewer',
  }),
});
export type MemberInviteInput = InputOf<typeof MemberInviteInput>;

/** A lead of an outside organisation, chosen by the council's administrator from its active accounts. */
export const LeadInput = input({
  user_id: f.id('Lead', {
    required: true,
    missing: 'Choose the person to make a lead',
    invalid: 'Choose the person from the list of the organisation’s accounts',
    check: lowerId,
  }),
});
export type LeadInput = InputOf<typeof LeadInput>;
