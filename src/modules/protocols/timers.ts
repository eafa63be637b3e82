// Connects protocol steps to the deadline sweep: each rung of a step's overdue ladder is a deadline row.
import { registerDeadlineHandler } from '../../jobs/deadlines.ts';
import { type ProtocolService, STEP_SUBJECT } from './service.ts';

/** Call once per process before jobs start (serve, worker). Returns an unregister function. */
export function registerProtocolTimers(protocols: ProtocolService): () => void {
  return registerDeadlineHandler(STEP_SUBJECT, (tx, row) => protocols.fireRung(tx, row.subject_id, row.rung % 100));
}
