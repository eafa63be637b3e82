// The mentoring scheme (issue 12 part 7): the scheme's pages and API for whoever holds mentoring:manage (acting on
// any young person in the council, the read logged); a young person's mentoring under the record's relationship
// rules; sessions and goals by the mentor, the scheme or someone who works with the young person (the service
// decides which, after the input is read: so the matrix's empty body is refused as bad input first).
import type { MatrixEntry } from './matrix.ts';

const scheme = { capability: 'mentoring:manage' as const, person: true, relationshipNotNeeded: true };
const anyone = { capability: null, person: true, relationshipNotNeeded: true };

export const MENTORING_MATRIX: MatrixEntry[] = [
  { method: 'GET', url: '/api/v1/mentoring/mentors', capability: 'mentoring:manage' },
  { method: 'POST', url: '/api/v1/mentoring/mentors', capability: 'mentoring:manage', body: {} },
  { method: 'GET', url: '/api/v1/mentoring/mentors/:mentorId', capability: 'mentoring:manage' },
  { method: 'POST', url: '/api/v1/mentoring/mentors/:mentorId/checks', capability: 'mentoring:manage', body: {} },
  { method: 'GET', url: '/api/v1/people/:personId/mentoring', capability: 'person:read', person: true },
  { method: 'POST', url: '/api/v1/people/:personId/mentoring', capability: 'person:edit', person: true, body: {} },
  { method: 'POST', url: '/api/v1/mentoring/people/:personId/referrals/:referralId/match', ...scheme, body: {} },
  { method: 'POST', url: '/api/v1/mentoring/people/:personId/referrals/:referralId/decline', ...scheme, body: {} },
  { method: 'POST', url: '/api/v1/mentoring/people/:personId/referrals/:referralId/review', ...scheme, body: {} },
  { method: 'POST', url: '/api/v1/mentoring/people/:personId/referrals/:referralId/end', ...scheme, body: {} },
  { method: 'POST', url: '/api/v1/mentoring/people/:personId/referrals/:referralId/sessions', ...anyone, body: {} },
  { method: 'PUT', url: '/api/v1/mentoring/people/:personId/referrals/:referralId/goals/:goalId', ...anyone, body: {} },
  { method: 'GET', url: '/mentoring', capability: 'mentoring:manage' },
  { method: 'GET', url: '/mentoring/mentors/new', capability: 'mentoring:manage' },
  { method: 'POST', url: '/mentoring/mentors', capability: 'mentoring:manage', body: {} },
  { method: 'GET', url: '/mentoring/mentors/:mentorId', capability: 'mentoring:manage' },
  { method: 'POST', url: '/mentoring/mentors/:mentorId/checks', capability: 'mentoring:manage', body: {} },
  { method: 'GET', url: '/people/:personId/mentoring', capability: 'person:read', person: true },
  { method: 'GET', url: '/people/:personId/mentoring/new', capability: 'person:edit', person: true },
  { method: 'POST', url: '/people/:personId/mentoring', capability: 'person:edit', person: true, body: {} },
  { method: 'GET', url: '/mentoring/people/:personId/referrals/:referralId', ...scheme },
  { method: 'POST', url: '/mentoring/people/:personId/referrals/:referralId/match', ...scheme, body: {} },
  { method: 'POST', url: '/mentoring/people/:personId/referrals/:referralId/decline', ...scheme, body: {} },
  { method: 'POST', url: '/mentoring/people/:personId/referrals/:referralId/review', ...scheme, body: {} },
  { method: 'POST', url: '/mentoring/people/:personId/referrals/:referralId/end', ...scheme, body: {} },
  { method: 'GET', url: '/mentoring/people/:personId/referrals/:referralId/sessions/new', ...anyone },
  { method: 'POST', url: '/mentoring/people/:personId/referrals/:referralId/sessions', ...anyone, body: {} },
];
