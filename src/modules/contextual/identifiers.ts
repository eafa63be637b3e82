// Free text that people without a relationship read (a place's or group's description, a person of concern's link
// note, a system block's description and what changed) must not identify a young person (quality.md S15): the
// identifier detector checks it before anything is written, and a finding is refused with a message naming the
// field and the fix. Nothing is removed silently. A month and year ("since March 2026") is not a finding here, and a
// place may be an address (a flat used for cuckooing), so addresses and postcodes are allowed where the caller says.
// Names are not refused here: the detector matches any word a letter off or a prefix of any young person's or
// contact's name ("group" for Groupley, "young" for Young), too often to refuse without the change-or-confirm step
// the panel summaries have; the forms say not to name young people, and names stay a known gap (see the tests).
import { detectIdentifiers, FINDING_LABELS, type FindingKind } from '../../domain/identifier-detector.ts';
import { ValidationError } from '../../http/forms.ts';

const MONTH_AND_YEAR = /^[a-z]+\.?\s+\d{4}$/i;

/** Refuses (400, naming each field) text that may identify a young person; `allow` lists finding kinds let through. */
export function refuseIdentifiers(
  fields: Record<string, { label: string; text: string | null | undefined }>,
  allow: FindingKind[] = [],
) {
  const present = Object.entries(fields).filter(([, f]) => f.text?.trim());
  if (!present.length) return;
  const errors: Record<string, string> = {};
  for (const [field, { label, text }] of present) {
    const findings = detectIdentifiers(text as string).filter(
      (f) =>
        f.kind !== 'name' && !allow.includes(f.kind) && !(f.kind === 'date' && MONTH_AND_YEAR.test(f.excerpt.trim())),
    );
    if (!findings.length) continue;
    const list = findings.map((f) => `“${f.excerpt}” (${FINDING_LABELS[f.kind]})`).join(', ');
    errors[field] =
      `${label} is read by people who do not work with the young people, so it must not identify anyone: remove ${list}. Link a young person from their record instead`;
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
}
