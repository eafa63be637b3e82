// Whether free text says something in words: what is left after Unicode normalisation (NFKC) and removing invisible
// and format characters (zero-width spaces and joiners, direction marks, soft hyphens, controls) must hold real words.
// Pure.

/** Invisible or format characters: Unicode categories Cf (format), Cc (control), plus the filler characters. */
const INVISIBLE = /[\p{Cf}\p{Cc}\u115F\u1160\u3164\uFFA0\u2800]/gu;
/** A word: two or more letters (with the marks that belong to them), apostrophes and hyphens allowed inside. */
const WORD = /\p{L}[\p{L}\p{M}]*(?:['’-][\p{L}\p{M}]+)*/gu;

/** The text as a reader sees it: normalised, invisible characters removed, runs of spaces made one. */
export function visibleText(s: string): string {
  return s.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
}

/** The words in a text (each at least two letters), after visibleText. */
export function wordsIn(s: string): string[] {
  return (visibleText(s).match(WORD) ?? []).filter((w) => (w.match(/\p{L}/gu) ?? []).length >= 2);
}

/** At least `minWords` words and `minLetters` letters in them: "a few letters forming words". */
export function hasWords(s: string, minWords = 2, minLetters = 8): boolean {
  const words = wordsIn(s);
  const letters = words.reduce((n, w) => n + (w.match(/\p{L}/gu) ?? []).length, 0);
  return words.length >= minWords && letters >= minLetters;
}
