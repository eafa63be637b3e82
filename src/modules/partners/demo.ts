// Partner organisations' demo data: each outside organisation of the demo gets a lead, and so a team inbox (two rows).
import type { Tx } from '../../db/database.ts';

export async function seedOrganisationLeads(tx: Tx, authorityId: string, leads: [string | undefined, string][]) {
  for (const [serviceId, userId] of leads)
    if (serviceId)
      await tx
        .insertInto('organisation_leads')
        .values({ authority_id: authorityId, service_id: serviceId, user_id: userId, created_by: null })
        .execute();
}
