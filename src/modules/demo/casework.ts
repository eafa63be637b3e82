// Demo casework (issue 11): a day's worth of what a worker writes and a manager moves. Case notes of several types on
// the demo social worker's young people, two of them significant events so the chronology has entries, written
// through the notes service (so each version has its audit row in the chain); a second caseworker in the Disabled
// Children's Team North who is leaving, with young people and an overdue plan action of their own, for the team
// manager to reallocate; and a document on a record when the demo's virus scanning lets it be uploaded. Every name is
// invented.
import { addDays } from '../../domain/calendar.ts';
import { NoteInput } from '../notes/schemas.ts';
import { ActionInput, PlanInput } from '../transitions/schemas.ts';
import { authUser, type DemoRun } from './journeys.ts';

export const LEAVER_EMAIL = 'leaving.worker@demoshire.example';

/** A note as a worker would type it: `daysAgo` before the demo's today, at `time`. */
interface DemoNote {
  personIndex: number;
  daysAgo: number;
  time: string;
  type: 'visit' | 'phone_call' | 'meeting' | 'observation' | 'direct_work';
  present: string;
  what: string;
  voice?: string;
  summary?: string;
}

const NOTES: DemoNote[] = [
  {
    personIndex: 0,
    daysAgo: 20,
    time: '14:30',
    type: 'visit',
    present: 'Mother; the young person',
    what: 'Home visit. The family showed me the adapted bathroom, finished last week. Short breaks are going well.',
    voice: 'Said the new shower is "much better" and asked when the next trip with the short breaks club is.',
  },
  {
    personIndex: 0,
    daysAgo: 12,
    time: '09:15',
    type: 'phone_call',
    present: 'Head of year (by phone)',
    what: 'School phoned: the young person told a teaching assistant that older pupils take their lunch on the bus.',
    voice: 'Told the teaching assistant they do not want to get the bus any more.',
    summary: 'Told school of bullying on the school bus',
  },
  {
    personIndex: 0,
    daysAgo: 5,
    time: '11:00',
    type: 'direct_work',
    present: 'The young person',
    what: 'Worked through a "my week" sheet together. Travel to school is the worst part of the week.',
    voice: 'Would like to travel with a friend, or in the school minibus.',
  },
  {
    personIndex: 1,
    daysAgo: 9,
    time: '10:00',
    type: 'meeting',
    present: 'Parents; school SENCo; community paediatrician',
    what: 'Team around the family meeting. Agreed a referral for an occupational therapy assessment at home.',
    summary: 'Team around the family agreed an occupational therapy referral',
  },
  {
    personIndex: 2,
    daysAgo: 3,
    time: '15:45',
    type: 'observation',
    present: 'Short breaks club staff',
    what: 'Observed the young person at the short breaks club. Joined in the cooking session and helped a younger child.',
    voice: 'Asked if their brother can come to the club too.',
  },
];

/**
 * A small, valid one-page PDF saying what it is: the demo's uploaded document (its type is read from the content, so
 * it must really be a PDF). The cross-reference offsets are counted as the file is built.
 */
export function demoPdf(text: string): Buffer {
  const safe = text.replace(/[\\()]/g, (c) => `\\${c}`);
  const stream = `BT /F1 14 Tf 72 760 Td (${safe}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const [i, body] of objects.entries()) {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** The demo social worker's case notes, each on the day it happened (the notes service reads the demo clock). */
export async function seedDemoNotes({ db, services, clock, today }: DemoRun, workerId: string, people: string[]) {
  const sam = await authUser(db, workerId);
  for (const n of NOTES) {
    const personId = people[n.personIndex];
    if (!personId) continue;
    const day = addDays(today, -n.daysAgo);
    clock.on(day);
    const input = NoteInput.parse(
      {
        note_type: n.type,
        contact_date: day,
        contact_time: n.time,
        present: n.present,
        what_happened: n.what,
        voice: n.voice ?? '',
        significant: n.summary ? 'yes' : 'no',
        summary: n.summary ?? '',
      },
      { today: day },
    );
    await services.notes.add(sam, personId, input);
  }
  clock.reset();
}

/**
 * A document on a record, uploaded by the worker through the documents service. With no virus scanner the demo runs
 * with scanning off (the upload page says so) and the document is stored as not scanned; with a scanner configured
 * but not answering the upload is refused, and the demo goes on without it. Returns whether it was uploaded.
 */
export async function seedDemoDocument({ db, services }: DemoRun, workerId: string, personId: string) {
  const sam = await authUser(db, workerId);
  try {
    await services.documents.upload(sam, personId, {
      title: 'Short breaks assessment (demo document)',
      target: { kind: 'person', id: null },
      upload: {
        field: 'file',
        filename: 'short-breaks-assessment.pdf',
        bytes: demoPdf('Short breaks assessment - a fictional demo document'),
        tooLarge: false,
      },
    });
    return true;
  } catch (e) {
    console.warn(`The demo's document was not uploaded: ${(e as Error).message}`);
    return false;
  }
}

/**
 * The leaving worker's overdue plan action: a plan for the first of their young people and an action they own, due
 * a week ago, so it is overdue in their My work and, once reallocated, in the receiver's.
 */
export async function seedLeaverAction({ db, services, clock, today }: DemoRun, leaverId: string, personId: string) {
  const leaver = await authUser(db, leaverId);
  const t = services.transitions;
  const written = addDays(today, -40);
  clock.on(written);
  await t.savePlan(
    leaver,
    personId,
    PlanInput.parse(
      { what_matters: 'Staying at my school with my friends', needs: 'Help with travel' },
      { today: written },
    ),
  );
  await t.addAction(
    leaver,
    personId,
    ActionInput.parse(
      { description: 'Book the travel training assessment', owner_user_id: leaverId, due_date: addDays(today, -7) },
      { today: written },
    ),
  );
  clock.reset();
}
