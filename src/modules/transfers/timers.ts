// Connects capacity escalations to the deadline sweep: an unresolved block past its date is chased.
import { registerDeadlineHandler } from '../../jobs/deadlines.ts';
import { ESCALATION_SUBJECT, type TransferService } from './service.ts';

export function registerTransferTimers(transfers: TransferService): () => void {
  return registerDeadlineHandler(ESCALATION_SUBJECT, (tx, row) => transfers.fireEscalation(tx, row));
}
