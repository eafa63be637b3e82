// Checks for the national identifiers a young person's record carries. Pure functions, no I/O.

export type IdentifierCheck = { ok: true; value: string } | { ok: false; message: string };

/**
 * NHS number: 10 digits, the last a modulus-11 check digit over the first nine weighted 10..2
 * (NHS Data Dictionary, "NHS Number"). A remainder giving check value 10 means the number is never issued.
 */
export function checkNhsNumber(input: string): IdentifierCheck {
  const value = input.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(value)) {
    return { ok: false, message: 'NHS number must be 10 digits, for example 943 476 5919' };
  }
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(value[i]) * (10 - i);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  if (expected === 10 || expected !== Number(value[9])) {
    return { ok: false, message: 'NHS number is not valid: check the digits, one may have been mistyped' };
  }
  return { ok: true, value };
}

const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/**
 * Unique Pupil Number: 13 characters, a check letter then 12 characters (LA code, establishment,
 * year, serial; the last may be a letter in a temporary UPN). Check letter = the letter at
 * (sum of character value × position, positions 2..13) mod 23 (DfE, "Unique pupil numbers (UPN)" guidance).
 */
export function checkUpn(input: string): IdentifierCheck {
  const value = input.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]\d{11}[0-9A-Z]$/.test(value)) {
    return {
      ok: false,
      message: 'UPN must be 13 characters: a letter, 11 digits and a digit or letter, for example M801200112001',
    };
  }
  const expected = upnCheckLetter(value.slice(1));
  if (expected === null || expected !== value[0]) {
    return {
      ok: false,
      message: 'UPN is not valid: its check letter does not match, check it has been copied correctly',
    };
  }
  return { ok: true, value };
}

/** The check letter for the 12 characters after it, or null if a character cannot appear in a UPN. */
export function upnCheckLetter(body12: string): string | null {
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const c = body12[i] as string;
    const n = c >= '0' && c <= '9' ? Number(c) : UPN_LETTERS.indexOf(c);
    if (n < 0) return null;
    sum += n * (i + 2);
  }
  return UPN_LETTERS[sum % 23] ?? null;
}

/** Shows an NHS number as people read it: 943 476 5919. */
export function formatNhsNumber(value: string): string {
  return `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6)}`;
}
