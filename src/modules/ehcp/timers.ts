// Connects EHCP deadline rows (statutory dates passing, advice overdue, draft checks) to the deadline sweep.
import { registerDeadlineHandler } from '../../jobs/deadlines.ts';
import { ADVICE_SUBJECT, ASSESSMENT_SUBJECT } from './labels.ts';
import type { EhcpService } from './service.ts';

/** Call once per process before jobs start (serve, worker). Returns an unregister function. */
export function registerEhcpTimers(ehcp: EhcpService): () => void {
  const offs = [ASSESSMENT_SUBJECT, ADVICE_SUBJECT].map((subject) =>
    registerDeadlineHandler(subject, (tx, row) => ehcp.fireDeadline(tx, row.subject_type, row.subject_id, row.action)),
  );
  return () => {
    for (const off of offs) off();
  };
}
