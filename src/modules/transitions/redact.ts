// Pseudonymised case summaries for the Transitions Governance Group and the SEND board: "without personal
// details" (Devon protocol step 11; quality.md S15). Two layers: the person's and their contacts' own names and
// identifiers are removed wherever they appear, then anything shaped like an identifier is removed as well.
import { ageOn } from '../../domain/age.ts';
import { toDayNumber } from '../../domain/calendar.ts';

export interface Identity {
  givenName: string;
  familyName: string;
  preferredName: string | null;
  dateOfBirth: string;
  caseNumber: string;
  nhsNumber: string | null;
  upn: string | null;
  address: string | null;
  postcode: string | null;
  school: string | null;
  contacts: { name: string; phone: string | null; email: string | null; address: string | null }[];
}

export const REDACTED = '[removed]';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every way the identity's values may be written: names and their parts, dates in common formats, spaced numbers. */
function sensitiveStrings(id: Identity): string[] {
  const out = new Set<string>();
  const add = (v: string | null | undefined) => {
    const t = v?.trim();
    if (t && t.length >= 2) out.add(t);
  };
  const names = [id.givenName, id.familyName, id.preferredName, ...id.contacts.map((c) => c.name)];
  for (const n of names) {
    add(n);
    // Each part of a name (a first name alone, a double-barrelled surname's halves), but not initials.
    for (const part of (n ?? '').split(/[\s-]+/)) if (part.length >= 3) add(part);
  }
  add(id.caseNumber);
  add(id.nhsNumber);
  if (id.nhsNumber?.length === 10) {
    add(`${id.nhsNumber.slice(0, 3)} ${id.nhsNumber.slice(3, 6)} ${id.nhsNumber.slice(6)}`);
    add(`${id.nhsNumber.slice(0, 3)}-${id.nhsNumber.slice(3, 6)}-${id.nhsNumber.slice(6)}`);
  }
  add(id.upn);
  add(id.postcode);
  add(id.postcode?.replace(/\s+/g, ''));
  add(id.school);
  for (const a of [id.address, ...id.contacts.map((c) => c.address)]) {
    add(a);
    // Lines of an address ("12 Orchard Way", "Exeter") on their own.
    for (const line of (a ?? '').split(/[,\n]+/)) if (line.trim().length >= 4) add(line);
  }
  for (const c of id.contacts) {
    add(c.phone);
    add(c.phone?.replace(/\s+/g, ''));
    add(c.email);
  }
  const [y, m, d] = id.dateOfBirth.split('-');
  if (y && m && d) {
    const dd = Number(d);
    const mm = Number(m);
    add(id.dateOfBirth);
    add(`${d}/${m}/${y}`);
    add(`${dd}/${mm}/${y}`);
    add(`${d}-${m}-${y}`);
    add(`${d}.${m}.${y}`);
    add(`${dd} ${MONTHS[mm - 1]} ${y}`);
    add(`${dd} ${MONTHS[mm - 1]?.slice(0, 3)} ${y}`);
  }
  // Longest first, so a full name goes before its parts.
  return [...out].sort((a, b) => b.length - a.length);
}

/** Generic identifier shapes, removed whoever they belong to. */
const PATTERNS: RegExp[] = [
  /\b\d{3}[\s-]?\d{3}[\s-]?\d{4}\b/g, // NHS numbers (and other 10-digit numbers)
  /\b[A-Z]\d{11}[0-9A-Z]\b/gi, // UPNs
  /\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/gi, // postcodes
  /[^\s@]+@[^\s@]+\.[^\s@]+/g, // email addresses
  /(?:\+44\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b/g, // UK phone numbers
  /\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/g, // dates
  /\b\d{4}-\d{2}-\d{2}\b/g, // ISO dates
  /\b\d{1,2}(?:st|nd|rd|th)?\s+(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\s+\d{4}\b/gi,
  /\bHO\d{4,}\b/g, // Handover case numbers
];

/** Removes the identity's names and identifiers, and anything shaped like an identifier, from free text. */
export function redact(text: string | null | undefined, id: Identity): string {
  if (!text) return '';
  let out = text;
  for (const s of sensitiveStrings(id)) {
    // Word boundaries where the value starts or ends with a word character, so "Sam" does not eat "Samples".
    const start = /^\w/.test(s) ? '\\b' : '';
    const end = /\w$/.test(s) ? '\\b' : '';
    out = out.replace(new RegExp(`${start}${escapeRegExp(s)}${end}`, 'gi'), REDACTED);
  }
  for (const p of PATTERNS) out = out.replace(p, REDACTED);
  return out.replace(/\s+/g, ' ').trim();
}

/** "A", "B", … "Z", "AA", …: the label of the nth young person on a pseudonymised agenda. */
export function pseudonym(n: number): string {
  let s = '';
  let i = n;
  do {
    s = String.fromCharCode(65 + (i % 26)) + s;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return `Young person ${s}`;
}

/** The 18th birthday; someone born on 29 February turns 18 on 1 March in a common year (as ageOn). */
export function eighteenthBirthday(dateOfBirth: string): string {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const year = y + 18;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (m === 2 && d === 29 && !leap) return `${year}-03-01`;
  return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Whole days from today to the 18th birthday (negative once past). */
export function daysUntil18(dateOfBirth: string, today: string): number {
  return toDayNumber(eighteenthBirthday(dateOfBirth)) - toDayNumber(today);
}

/** "turns 18 in about 4 months" (never the date itself: that would give away the date of birth). */
export function turns18Phrase(dateOfBirth: string, today: string): string {
  const days = daysUntil18(dateOfBirth, today);
  if (days <= 0) return 'is 18 or over';
  const months = Math.round(days / 30.44);
  if (months <= 0) return 'turns 18 within a month';
  return `turns 18 in about ${months} month${months === 1 ? '' : 's'}`;
}

/**
 * The summary a pseudonymised panel sees: "Young person A, aged 17, turns 18 in about 4 months. Needs: …
 * Blocked by: …". Free text from the plan goes through the redactor.
 */
export function pseudonymisedSummary(
  label: string,
  id: Identity,
  today: string,
  parts: { needs: string | null; blockedBy: string | null; question: string | null; issueType: string | null },
): string {
  const age = ageOn(id.dateOfBirth, today);
  const bits = [`${label}, aged ${age}, ${turns18Phrase(id.dateOfBirth, today)}.`];
  if (parts.issueType)
    bits.push(
      `Issue: ${parts.issueType === 'gap' ? 'a gap in services' : parts.issueType === 'capacity' ? 'a capacity problem' : 'responsibility unclear'}.`,
    );
  const needs = redact(parts.needs, id);
  if (needs) bits.push(`Needs: ${needs}.`);
  const blocked = redact(parts.blockedBy, id);
  if (blocked) bits.push(`Blocked by: ${blocked}.`);
  const q = redact(parts.question, id);
  if (q) bits.push(`Question for the group: ${q}`);
  return bits.join(' ').replace(/\.\./g, '.');
}
