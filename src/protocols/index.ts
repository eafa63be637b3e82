// The protocols Handover ships with. Councils add their own as JSON or YAML files in PROTOCOLS_DIR.
import { asDefinition, type ProtocolDefinition } from '../domain/protocol/definition.ts';
import { consultationFollowUp } from './consultation-follow-up.ts';
import { creativeSolutionsCase } from './creative-solutions-case.ts';
import { cumbriaAdviceQuery } from './cumbria-advice-query.ts';
import { cumbriaAdviceQueryV2 } from './cumbria-advice-query-v2.ts';
import { devonTransitions } from './devon-transitions-16-17.ts';
import { ehcAdviceRequest } from './ehc-advice-request.ts';
import { ehcAnnualReview } from './ehc-annual-review.ts';
import { ehcNeedsAssessment } from './ehc-needs-assessment.ts';
import { ehcPlanAmendment } from './ehc-plan-amendment.ts';
import { ehcPlanCessation } from './ehc-plan-cessation.ts';
import { ehcPlanTransferIn } from './ehc-plan-transfer-in.ts';
import { ehcSettingConsultation } from './ehc-setting-consultation.ts';
import { exploitationImmediateReferral } from './exploitation-immediate-referral.ts';
import { exploitationMeetingAction } from './exploitation-meeting-action.ts';
import { exploitationRescreen } from './exploitation-rescreen.ts';
import { exploitationScreening } from './exploitation-screening.ts';
import { exploitationTransition } from './exploitation-transition.ts';
import { kentCapacityEscalation } from './kent-capacity-escalation.ts';
import { kentTeamTransfer } from './kent-team-transfer.ts';
import { kentTeamTransferV1 } from './kent-team-transfer-v1.ts';
import { mentoringReferral } from './mentoring-referral.ts';
import { planActionChase } from './plan-action-chase.ts';
import { referralChase } from './referral-chase.ts';
import { sendSupportRequest } from './send-support-request.ts';

/** Built-ins in src/protocols: plain definitions, or `defineProtocol(...)` ones a module drives (typed ids). */
export const BUILT_IN_PROTOCOLS: readonly ProtocolDefinition[] = [
  cumbriaAdviceQuery,
  asDefinition(cumbriaAdviceQueryV2),
  asDefinition(devonTransitions),
  asDefinition(ehcNeedsAssessment),
  asDefinition(ehcAdviceRequest),
  asDefinition(ehcAnnualReview),
  kentTeamTransferV1,
  asDefinition(kentTeamTransfer),
  asDefinition(kentCapacityEscalation),
  asDefinition(planActionChase),
  asDefinition(referralChase),
  asDefinition(exploitationScreening),
  asDefinition(exploitationImmediateReferral),
  asDefinition(exploitationRescreen),
  asDefinition(exploitationTransition),
  asDefinition(creativeSolutionsCase),
  asDefinition(consultationFollowUp),
  asDefinition(exploitationMeetingAction),
  asDefinition(mentoringReferral),
  asDefinition(sendSupportRequest),
  asDefinition(ehcPlanAmendment),
  asDefinition(ehcPlanCessation),
  asDefinition(ehcPlanTransferIn),
  asDefinition(ehcSettingConsultation),
];
