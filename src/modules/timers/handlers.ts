// What runs without anyone asking, registered once per process before jobs start (`handover serve` and `handover
// worker`): the deadline handler (every deadline row is a protocol step's overdue rung) and the modules' calendar
// jobs. One line per module that has any.
import type { Services } from '../../services.ts';
import { registerPlanChangeJobs } from '../ehc-plan-changes/jobs.ts';
import { registerPost18Jobs } from '../post18/jobs.ts';
import { registerProtocolTimers } from '../protocols/timers.ts';
import { registerRetentionJobs } from '../retention/jobs.ts';
import { registerSubscriptionJobs } from '../subscriptions/jobs.ts';

export function registerAllTimers(services: Services): () => void {
  const unregister = [
    registerProtocolTimers(services.protocols),
    // Scheduled reports by email (issue 14 part 3), the Cumbria weekly EHCP report among them.
    registerSubscriptionJobs(),
    registerRetentionJobs(services.retention),
    registerPost18Jobs(services.post18),
    registerPlanChangeJobs(services.ehcPlanChanges),
  ];
  return () => {
    for (const off of unregister) off();
  };
}
