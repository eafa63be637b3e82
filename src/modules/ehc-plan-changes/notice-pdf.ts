// The notice of a decision to cease an EHC plan as a tagged PDF (SEND Regulations 2014 reg 31(2)–(3)): the same words
// as the printable notice page — the decision, its SEN2 reason, the right of appeal to the First-tier Tribunal within 2
// months (and the day that falls on), mediation advice first, the plan kept meanwhile — written with the plan
// module's tagged-PDF writer. Its read is logged like the plan's PDF (channel `export`).
import { taggedPdf } from '../ehc-plans/pdf.ts';
import { AGE_25_REASON, longDate } from './dates.ts';
import type { cessation } from './read.ts';

type Read = Awaited<ReturnType<typeof cessation>>;

export function ceaseNoticePdf({ plan, cessation: c, reason, setting }: Read): Promise<Buffer> {
  const name = `${plan.given_name} ${plan.family_name}`;
  const title = `Notice of the decision to cease the EHC plan, case ${plan.case_number}`;
  return taggedPdf({ title, subject: 'Notice of a decision to cease an EHC plan' }, ({ h1, h2, para }) => {
    para(`Case ${plan.case_number}. Sent ${c.notice_date ? longDate(c.notice_date) : 'not yet'}.`, { size: 10 });
    h1(`Notice of the decision to cease ${name}’s education, health and care plan`);
    para(
      `After consulting you${setting ? ` and ${setting}` : ''}, the council has decided to cease to maintain the EHC plan of ${name}${plan.date_of_birth ? ` (born ${longDate(plan.date_of_birth)})` : ''}.`,
    );
    h2('The reason');
    para(`${reason ?? `SEN2 reason ${c.reason}`}${c.reason_detail ? `: ${c.reason_detail}` : ''}.`);
    if (c.cease_on)
      para(
        c.reason === AGE_25_REASON
          ? `The plan ends on ${longDate(c.cease_on)}, the end of the academic year in which the young person turns 25 (Children and Families Act 2014 section 46).`
          : `The plan ends on ${longDate(c.cease_on)}.`,
      );
    h2('Your right of appeal');
    para(
      'You have the right to appeal against this decision to the First-tier Tribunal (Special Educational Needs and Disability).',
    );
    para(
      `You must appeal within 2 months of the date of this notice${c.appeal_by ? `, that is by ${longDate(c.appeal_by)}` : ''}, or within 1 month of the date of a mediation certificate if that is later.`,
      { bold: true },
    );
    para(
      'Before appealing you must contact a mediation adviser and consider whether to use mediation, unless your appeal is only about the school or college named in the plan (SEND Regulations 2014 regulation 32). The mediation adviser will give you a certificate you need to appeal.',
    );
    para(
      'The council will keep the plan while an appeal may be brought, and until any appeal is decided (Children and Families Act 2014 section 45).',
    );
    h2('Help and advice');
    para(
      'A disagreement resolution service is available to help settle the disagreement, and your local SEND information, advice and support service can give you free, impartial advice about this decision.',
    );
    para('SEND Regulations 2014 regulation 31(2) and (3).', { size: 9 });
  });
}
