// Finds text that may identify a young person, before it goes to a pseudonymised panel or into an email
// (quality.md S14, S15). Pure: text and the names known to the authority in, findings out. It errs towards
// flagging: the sender changes the text or confirms each finding; nothing is removed silently.
// The text is normalised first (NFKC, format characters such as zero-width spaces removed, accents folded,
// Cyrillic and Greek look-alike letters mapped to Latin), and digits may be split by spaces, dots or dashes.

export type FindingKind =
  | 'nhs_number'
  | 'upn'
  | 'case_number'
  | 'postcode'
  | 'date'
  | 'email'
  | 'phone'
  | 'number'
  | 'address'
  | 'name';

export interface Finding {
  kind: FindingKind;
  /** The text as written (a slice of the input). */
  excerpt: string;
  /** Offsets into the input, in UTF-16 code units. */
  start: number;
  end: number;
}

export const FINDING_LABELS: Record<FindingKind, string> = {
  nhs_number: 'an NHS number',
  upn: 'a unique pupil number',
  case_number: 'a case number',
  postcode: 'a postcode',
  date: 'a date',
  email: 'an email address',
  phone: 'a phone number',
  number: 'a long number',
  address: 'an address',
  name: 'a name',
};

// Cyrillic and Greek letters that look like Latin ones (and a few Latin letters NFD does not fold): pairs "from to".
const LOOKALIKES: Record<string, string> = Object.fromEntries(
  'аa вb еe кk мm нh оo рp сc тt уy хx ѕs іi јj һh ԁd ԛq ԝw үy ӏl ɡg ɑa АA ВB ЕE КK МM НH ОO РP СC ТT УY ХX ЅS ІI ЈJ ҮY ӀI αa βb εe ιi κk νv οo ρp τt υu χx γy ωw ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX ßss æae ÆAE øo ØO łl ŁL đd ĐD ıi'
    .split(' ')
    .map((p) => [p.slice(0, 1), p.slice(1)]),
);

export interface Normalised {
  text: string;
  /** For each code unit of `text`, the input offset it came from, and one past the end. */
  from: number[];
  to: number[];
}

/** NFKC, no format characters, no accents, look-alikes mapped to Latin; keeps a map back to the input. */
export function normalise(input: string): Normalised {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  for (const ch of input) {
    const start = i;
    i += ch.length;
    let out = ch
      .normalize('NFKC')
      .normalize('NFD')
      .replace(/[\p{M}\p{Cf}]/gu, '');
    out = [...out].map((c) => LOOKALIKES[c] ?? c).join('');
    if (/^\s+$/u.test(out)) out = ' ';
    for (let k = 0; k < out.length; k++) {
      text += out[k];
      from.push(start);
      to.push(i);
    }
  }
  return { text, from, to };
}

/** Lower-case folded words of a name, as the detector compares them. */
export function nameTokens(name: string): string[] {
  return (
    normalise(name)
      .text.toLowerCase()
      .match(/[a-z]+(?:'[a-z]+)?/g)
      ?.filter((t) => t.length >= 2) ?? []
  );
}

// A digit followed by more digits, each perhaps after spaces, dots, dashes or slashes: how numbers get disguised.
const SEP = String.raw`[\s.\-‐-―/_]{0,3}`;
const digits = (n: number, m = n) => String.raw`\d(?:${SEP}\d){${n - 1},${m - 1}}`;
const MONTH = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
const ORD = String.raw`(?:\d{1,2}(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|[a-z]+teenth|twentieth|twenty[\s-]?[a-z]+|thirtieth|thirty[\s-]?first)`;
const YEAR = String.raw`(?:\d{4}|'?\d{2}|(?:two thousand|nineteen|twenty)(?:[\s-]+(?:and|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen))*)`;

const PATTERNS: [FindingKind, RegExp][] = [
  ['email', /[^\s@<>()]+\s*(?:@|\(at\)|\[at\])\s*[^\s@<>()]+\.[a-z]{2,}/gi],
  ['case_number', new RegExp(String.raw`\bH\s?[O0]${SEP}\d(?:${SEP}\d){2,}`, 'gi')],
  ['upn', new RegExp(String.raw`\b[A-Z]${SEP}${digits(11)}${SEP}[0-9A-Z]\b`, 'gi')],
  ['postcode', /\b[A-Z]{1,2}\s?\d[A-Z\d]?\s*\d\s?[A-Z]{2}\b/gi],
  ['date', new RegExp(String.raw`\b${ORD}(?:\s+of)?\s+${MONTH}\b,?(?:\s+${YEAR})?`, 'gi')],
  ['date', new RegExp(String.raw`\b${MONTH}\s+${ORD}\b,?(?:\s+${YEAR})?`, 'gi')],
  ['date', new RegExp(String.raw`\b${MONTH}\s+\d{4}\b`, 'gi')],
  ['date', /\b\d{4}\s?[-/.]\s?\d{1,2}\s?[-/.]\s?\d{1,2}\b/g],
  ['date', /\b\d{1,2}\s?[-/.\s]\s?\d{1,2}\s?[-/.\s]\s?\d{2,4}\b/g],
  ['phone', /(?:\+\s?44|\b0)[\s\-.()]{0,3}\d(?:[\s\-.()]{0,3}\d){8,9}/g],
  ['nhs_number', new RegExp(String.raw`(?<!\d)${digits(10)}(?!\d)`, 'g')],
  ['number', new RegExp(String.raw`(?<!\d)${digits(6, 40)}(?!\d)`, 'g')],
  [
    'address',
    /\b\d{1,4}[a-z]?,?\s+(?:[a-z]+\s+){0,3}(?:road|rd|street|st|lane|ln|avenue|ave|close|way|drive|dr|court|ct|crescent|place|pl|gardens|terrace|hill|park|grove|view|walk|row|square|mews|green|rise|meadow|meadows|fields|parade|vale)\b/gi,
  ],
];

/** Known names by length, for the one-letter-off comparison. */
interface NameIndex {
  exact: Set<string>;
  byLength: Map<number, string[]>;
  long: string[];
}

function indexNames(names: readonly string[]): NameIndex {
  const exact = new Set<string>();
  for (const n of names) for (const t of nameTokens(n)) exact.add(t);
  for (const t of [...exact]) for (const nick of NICKNAMES[t] ?? []) if (!COMMON_WORDS.has(nick)) exact.add(nick);
  const byLength = new Map<number, string[]>();
  const long: string[] = [];
  for (const t of exact) {
    if (t.length < 5) continue;
    long.push(t);
    const list = byLength.get(t.length) ?? [];
    list.push(t);
    byLength.set(t.length, list);
  }
  return { exact, byLength, long };
}

/** At most one letter added, removed, changed or two swapped. */
function oneOff(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  let j = 0;
  while (j < a.length - i && j < b.length - i && a[a.length - 1 - j] === b[b.length - 1 - j]) j++;
  const ra = a.length - i - j;
  const rb = b.length - i - j;
  if (ra <= 1 && rb <= 1) return true;
  return ra === 2 && rb === 2 && a[i] === b[i + 1] && a[i + 1] === b[i];
}

function isName(token: string, idx: NameIndex): boolean {
  if (idx.exact.has(token)) return true;
  if (COMMON_WORDS.has(token)) return false;
  // A shortened name ("Zeph" for "Zephyrine") or a name one letter off ("Zephyrin").
  if (token.length >= 4 && idx.long.some((n) => n.startsWith(token))) return true;
  if (token.length < 5) return false;
  for (const len of [token.length - 1, token.length, token.length + 1])
    for (const n of idx.byLength.get(len) ?? []) if (oneOff(token, n)) return true;
  return false;
}

export interface DetectorOptions {
  /** Names of the authority's young people and their contacts (given, family, preferred). */
  names?: readonly string[];
}

/** Everything in `input` that may identify someone, in order of position; overlapping findings are merged. */
export function detectIdentifiers(input: string, options: DetectorOptions = {}): Finding[] {
  const n = normalise(input);
  const raw: { kind: FindingKind; s: number; e: number }[] = [];
  for (const [kind, re] of PATTERNS) {
    for (const m of n.text.matchAll(re)) raw.push({ kind, s: m.index, e: m.index + m[0].trimEnd().length });
  }
  const idx = indexNames(options.names ?? []);
  const lower = n.text.toLowerCase();
  for (const m of lower.matchAll(/[a-z]+(?:'[a-z]+)?/g)) {
    const t = m[0].replace(/'s$/, '');
    if (t.length >= 2 && isName(t, idx)) raw.push({ kind: 'name', s: m.index, e: m.index + m[0].length });
  }
  raw.sort((a, b) => a.s - b.s || b.e - a.e);
  const merged: typeof raw = [];
  for (const r of raw) {
    const last = merged[merged.length - 1];
    if (last && r.s < last.e) last.e = Math.max(last.e, r.e);
    else merged.push({ ...r });
  }
  return merged.map((r) => {
    const start = n.from[r.s] as number;
    const end = n.to[r.e - 1] as number;
    return { kind: r.kind, excerpt: input.slice(start, end), start, end };
  });
}

/** A finding's identity for confirmations: its kind and its normalised text. */
export function findingKey(f: Pick<Finding, 'kind' | 'excerpt'>): string {
  return `${f.kind}:${normalise(f.excerpt).text.toLowerCase().replace(/\s+/g, ' ').trim()}`;
}

// Common English short forms, both ways (a nickname of a known name is flagged; so is the full form of one).
const NICK_GROUPS = [
  'william will bill billy liam willy',
  'elizabeth liz lizzie beth betty eliza libby bess',
  'robert rob bob bobby robbie bert',
  'richard rich rick ricky dick',
  'margaret maggie meg peggy madge',
  'katherine catherine kate katie kat cathy kathy kit',
  'alexander alex alec sandy xander',
  'alexandra alex lexi sandra',
  'christopher chris kit topher',
  'jonathan jon jonny',
  'john jack johnny',
  'james jim jimmy jamie',
  'joseph joe joey',
  'thomas tom tommy',
  'michael mike mick mikey',
  'matthew matt matty',
  'nicholas nick nicky',
  'samuel sam sammy',
  'samantha sam sammy',
  'benjamin ben benny',
  'daniel dan danny',
  'edward ed eddie ted ned',
  'henry harry hal',
  'charles charlie chas chuck',
  'charlotte lottie charlie',
  'victoria vicky tori',
  'rebecca becky becca',
  'jessica jess jessie',
  'abigail abby abi gail',
  'olivia liv livvy',
  'isabella izzy bella isabel',
  'eleanor ellie nell nora',
  'susan sue susie',
  'jennifer jen jenny',
  'anthony tony ant',
  'patrick pat paddy',
  'zachary zach zack',
  'frederick fred freddie',
  'theodore theo ted teddy',
  'gabriel gabe',
  'joshua josh',
  'nathaniel nathan nat',
  'deborah debbie deb',
  'josephine jo josie',
];
/** Short forms that are everyday words: flagged only when they are themselves a known name. */
const COMMON_WORDS = new Set(
  'will bill rob kit pat ant sandy nat gail hal sue chuck dick jack nick bert ted meg bess jo ed dan'.split(' '),
);
const NICKNAMES: Record<string, string[]> = {};
for (const g of NICK_GROUPS) {
  const words = g.split(' ');
  for (const w of words) NICKNAMES[w] = [...new Set([...(NICKNAMES[w] ?? []), ...words.filter((x) => x !== w)])];
}
