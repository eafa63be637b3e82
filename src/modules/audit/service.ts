import type { Db } from '../../db/database.ts';
import { chainHead, chainPage } from './repository.ts';

export type ChainVerdict =
  | { ok: true; rows: number }
  | { ok: false; rows: number; firstBrokenSeq: number; reason: string };

const GENESIS = '0'.repeat(64);

/**
 * Walks the whole chain in order. Detects a modified row (its hash no longer matches its content),
 * a deleted or inserted row (a gap or repeat in seq, or a prev_hash that does not match), a reordering
 * (prev_hash mismatch) and a truncated tail (the head no longer matches the last row).
 */
export async function verifyAuditChain(
  db: Db,
  onProgress?: (checked: number, total: number) => void,
): Promise<ChainVerdict> {
  const head = await chainHead(db);
  let prevSeq = 0;
  let prevHash = GENESIS;
  let rows = 0;
  for (;;) {
    const page = await chainPage(db, prevSeq, 10_000);
    if (page.length === 0) break;
    for (const r of page) {
      if (r.seq !== prevSeq + 1) {
        return { ok: false, rows, firstBrokenSeq: r.seq, reason: `row ${prevSeq + 1} is missing before row ${r.seq}` };
      }
      if (r.prev_hash !== prevHash) {
        return { ok: false, rows, firstBrokenSeq: r.seq, reason: `row ${r.seq} does not follow row ${prevSeq}` };
      }
      if (r.hash !== r.expected) {
        return { ok: false, rows, firstBrokenSeq: r.seq, reason: `row ${r.seq} was changed after it was written` };
      }
      prevSeq = r.seq;
      prevHash = r.hash;
      rows++;
    }
    onProgress?.(rows, head.seq);
  }
  if (head.seq !== prevSeq || head.hash !== prevHash) {
    return {
      ok: false,
      rows,
      firstBrokenSeq: prevSeq + 1,
      reason: `rows after ${prevSeq} are missing (chain head is ${head.seq})`,
    };
  }
  return { ok: true, rows };
}
