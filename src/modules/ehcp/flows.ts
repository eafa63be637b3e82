// The EHCP module's three workflows, each a built-in protocol it drives (src/protocols): the statutory route of an
// assessment, one advice request each (6 weeks, reg 8, then the draft accuracy check), and Cumbria's advice query
// (still started and decided on the protocol pages too). Their hooks run inside the engine's transaction: the
// module's side effects (emails, the advice request passing to a line manager, overdue notices to people who can
// open only their advice request) commit with the step they follow.
import type { ProtocolSource, StepIdOf } from '../../domain/protocol/definition.ts';
import { cumbriaAdviceQueryV2 } from '../../protocols/cumbria-advice-query-v2.ts';
import { ehcAdviceRequest } from '../../protocols/ehc-advice-request.ts';
import { ehcNeedsAssessment } from '../../protocols/ehc-needs-assessment.ts';
import type { Flow, FlowEvent, FlowHooks, ProtocolService } from '../protocols/service.ts';
import type { EhcpDeps } from './context.ts';
import { giverAway, sendFollowUp } from './follow-ups.ts';
import { adviceOverdue, draftCheckOverdue } from './overdue.ts';

export interface EhcpFlows {
  assessment: Flow<typeof ehcNeedsAssessment>;
  advice: Flow<typeof ehcAdviceRequest>;
  query: Flow<typeof cumbriaAdviceQueryV2>;
  /** Listeners to an assessment's protocol ending, run in order inside the engine's transaction. */
  assessmentEnded: AssessmentEnded[];
}

type SideEffect<D extends ProtocolSource> = (d: EhcpDeps, e: FlowEvent<D>) => Promise<void>;

/** The `entered` hook that runs the module's side effect of each step that has one. */
function onEntering<D extends ProtocolSource>(
  d: () => EhcpDeps,
  effects: Partial<Record<StepIdOf<D>, SideEffect<D>>>,
): FlowHooks<D> {
  return {
    entered: async (e) => {
      await effects[e.step]?.(d(), e);
    },
  };
}

/** Told, in the engine's transaction, when an assessment's protocol ends (the ehc-plans module projects its plan). */
export type AssessmentEnded = (e: FlowEvent<typeof ehcNeedsAssessment> & { result: string }) => Promise<void>;

/** Takes the three protocols as the module's workflows; `d` is read when a hook runs (it holds these flows). */
export function driveEhcp(protocols: ProtocolService, d: () => EhcpDeps): EhcpFlows {
  const ended: AssessmentEnded[] = [];
  return {
    assessmentEnded: ended,
    assessment: protocols.drive(ehcNeedsAssessment, {
      where: 'record each decision on the EHC needs assessment page',
      quiet: true,
      hooks: {
        ended: async (e) => {
          for (const listener of ended) await listener(e);
        },
      },
    }),
    advice: protocols.drive(ehcAdviceRequest, {
      where: 'the advice giver answers on their advice request page; the coordinator serves the draft plan',
      quiet: true,
      hooks: onEntering(d, { advice_overdue: adviceOverdue, draft_check_overdue: draftCheckOverdue }),
    }),
    query: protocols.drive(cumbriaAdviceQueryV2, {
      where: 'updated advice sent on the advice request page closes the follow-up',
      pages: true,
      hooks: onEntering(d, { await_updated_advice: sendFollowUp, line_manager_completes: giverAway }),
    }),
  };
}
