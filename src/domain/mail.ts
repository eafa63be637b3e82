// Rules for what goes into a mail header, shared by the code that queues email (src/modules/notifications) and the
// sender (src/jobs/outbox.ts). Pure: no I/O.

const HEADER_UNSAFE = /[\r\n]/;
/** One bare address: no display name, no list (a comma would add recipients). Same rule as the user forms. */
const ONE_ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** True if the subject and every address are safe to put in mail headers (quality.md S14). */
export function headersAreSafe(subject: string, addresses: readonly string[]): boolean {
  return !HEADER_UNSAFE.test(subject) && addresses.every((a) => !HEADER_UNSAFE.test(a) && ONE_ADDRESS.test(a));
}

/** The Message-ID every copy of one outbox row carries, so a re-send after a crash is recognisable. */
export function messageIdFor(outboxId: string): string {
  return `<${outboxId}@handover>`;
}
