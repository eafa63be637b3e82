// What a person sees when single sign-on does not end in a session: one page, its words chosen by what happened.
// The words never say which check failed (the log line does, without any value that identifies a person).

export type ProblemKind =
  | 'failed'
  | 'tenant'
  | 'no-role'
  | 'inactive'
  | 'refused'
  | 'unavailable'
  | 'requested'
  | 'pending';

export const PROBLEMS: Record<ProblemKind, { heading: string; paragraphs: string[] }> = {
  failed: {
    heading: 'Sign-in with your council account did not work',
    paragraphs: ['Try again, or sign in with your email and password.'],
  },
  tenant: {
    heading: 'Your organisation is not set up to sign in to Handover',
    paragraphs: [
      'Ask your IT service desk to contact the council’s Handover administrator, or sign in with your email and password if you have them.',
    ],
  },
  'no-role': {
    heading: 'You do not have a role in Handover yet',
    paragraphs: [
      'Your council account has no app role for Handover that gives a role here.',
      'Ask your IT service desk or Handover administrator to give you an app role for Handover, then sign in again.',
    ],
  },
  inactive: {
    heading: 'Your Handover account is not active',
    paragraphs: ['Ask your Handover administrator to reactivate your account.'],
  },
  refused: {
    heading: 'Your request to use Handover was refused',
    paragraphs: ['Your administrator refused your request. Ask them if you think you need to use Handover.'],
  },
  unavailable: {
    heading: 'Signing in with your council account is not available now',
    paragraphs: ['Try again later, or sign in with your email and password.'],
  },
  requested: {
    heading: 'Your request to use Handover has been sent to your administrator',
    paragraphs: [
      'You cannot see anything in Handover until your administrator approves your request and gives you a role.',
      'When they have, sign in with your council account again.',
    ],
  },
  pending: {
    heading: 'Your request to use Handover is waiting for your administrator',
    paragraphs: [
      'You cannot see anything in Handover until your administrator approves your request and gives you a role.',
      'When they have, sign in with your council account again.',
    ],
  },
};
