// The adviceRequest addressee rule, widened to a team inbox: besides whom the EHCP module says a request is
// addressed to, every active member of the organisation whose inbox holds it (that request only, never the record).
import type { AddresseeRule } from '../../http/access-rules.ts';
import { inboxMemberOf } from './repository.ts';

export function orInboxMember(addressee: AddresseeRule<'adviceRequest'>): AddresseeRule<'adviceRequest'> {
  return async (db, user, requestId) => {
    const found = await addressee(db, user, requestId);
    if (found) return found;
    const row = await inboxMemberOf(db, user, requestId);
    return row ? { personId: row.person_id } : null;
  };
}
