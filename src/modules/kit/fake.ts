// Deterministic, clearly fictional people: names from short lists, identifiers with valid check characters.
import { upnCheckLetter } from '../../domain/identifiers.ts';

/** mulberry32: a small seeded PRNG so the same seed always builds the same demo. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export type Rng = ReturnType<typeof rng>;

export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
export const int = (r: Rng, min: number, max: number) => min + Math.floor(r() * (max - min + 1));

export const GIVEN = [
  'Alfie',
  'Amara',
  'Archie',
  'Ava',
  'Bella',
  'Caleb',
  'Chloe',
  'Dev',
  'Eden',
  'Elsie',
  'Ezra',
  'Faith',
  'Finley',
  'Freya',
  'Gracie',
  'Harley',
  'Harper',
  'Isla',
  'Jayden',
  'Jude',
  'Kai',
  'Keira',
  'Leo',
  'Lexi',
  'Logan',
  'Maisie',
  'Mason',
  'Mia',
  'Nia',
  'Noah',
  'Ollie',
  'Orla',
  'Phoebe',
  'Reggie',
  'Riley',
  'Rosa',
  'Ruby',
  'Sami',
  'Sienna',
  'Theo',
  'Tia',
  'Tyler',
  'Willow',
  'Zac',
  'Zara',
  'Amir',
  'Bodhi',
  'Cora',
  'Darcy',
  'Ellis',
] as const;
export const FAMILY = [
  'Ashdown',
  'Barrowclough',
  'Bellweather',
  'Brindle',
  'Carrow',
  'Dunmore',
  'Eldridge',
  'Fairbairn',
  'Fenwick',
  'Gorrell',
  'Hazeldine',
  'Holloway',
  'Ingleby',
  'Jessop',
  'Kettleby',
  'Larkin',
  'Marchbank',
  'Merriweather',
  'Nettleship',
  'Oakhurst',
  'Pellow',
  'Quarrie',
  'Redfern',
  'Rookwood',
  'Saltmarsh',
  'Scarrow',
  'Tallis',
  'Thistlewood',
  'Underhill',
  'Vellacott',
  'Wagstaff',
  'Whitlock',
  'Yardley',
  'Penhallow',
  'Trelawny',
  'Chynoweth',
  'Kestle',
  'Polglase',
  'Rundle',
  'Treloar',
] as const;
export const STAFF_GIVEN = [
  'Sam',
  'Alex',
  'Jo',
  'Priya',
  'Tom',
  'Helen',
  'Marcus',
  'Aisha',
  'Gareth',
  'Fiona',
  'Raj',
  'Beth',
  'Owen',
  'Nadia',
  'Craig',
  'Lucy',
] as const;
export const STREETS = [
  'Fictional Lane',
  'Example Road',
  'Sample Close',
  'Pretend Street',
  'Imaginary Way',
  'Madeup Avenue',
] as const;
export const SCHOOLS = [
  'Demoshire Primary Academy',
  'Example Vale Primary',
  'Sampleton High School',
  'Fictional Cross Academy',
  'Demoshire College',
  'Pretendford Special School',
] as const;

/** A valid NHS number in the 999 range, which the NHS keeps for testing and never issues to patients. */
export function fakeNhsNumber(r: Rng): string {
  for (;;) {
    const digits = [9, 9, 9, ...Array.from({ length: 6 }, () => int(r, 0, 9))];
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += (digits[i] as number) * (10 - i);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return digits.join('') + String(check === 11 ? 0 : check);
  }
}

/** A UPN with a valid check letter; LA code 999 is not a real local authority. */
export function fakeUpn(r: Rng, serial: number): string {
  const body = `999${String(int(r, 1000, 9999))}${String(int(r, 10, 25))}${String(serial % 1000).padStart(3, '0')}`;
  return `${upnCheckLetter(body)}${body}`;
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A date of birth for someone aged between minAge and maxAge (whole years) on `today`. */
export function fakeDob(r: Rng, today: string, minAge: number, maxAge: number): string {
  const t = Date.parse(`${today}T00:00:00Z`);
  const days = int(r, minAge * 365 + 1, maxAge * 365 + 360);
  return isoDate(new Date(t - days * 86_400_000));
}
