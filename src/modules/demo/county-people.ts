// People: who they are, which teams work with them, their contacts and their timeline.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/database.ts';
import { ageOn } from '../../domain/age.ts';
import { fromDayNumber, toDayNumber } from '../../domain/calendar.ts';
import type { PersonStatus } from '../../domain/roles.ts';
import { FAMILY, fakeNhsNumber, fakeUpn, GIVEN, int, pick, type Rng } from '../kit/fake.ts';
import type { CountyCounts } from './county.ts';
import { Columns } from './county-columns.ts';
import { KINDS, type ServiceKey, type StaffPlan, type TeamKind, type TeamPlan } from './county-org.ts';
import { generatePerson } from './seed.ts';

const peopleColumns = () =>
  new Columns('people', {
    id: 'uuid',
    authority_id: 'uuid',
    case_number: 'text',
    given_name: 'text',
    family_name: 'text',
    preferred_name: 'text',
    date_of_birth: 'date',
    gender: 'text',
    nhs_number: 'text',
    upn: 'text',
    address: 'text',
    postcode: 'text',
    school: 'text',
    locality_id: 'uuid',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  });
const statusColumns = () =>
  new Columns('person_statuses', {
    authority_id: 'uuid',
    person_id: 'uuid',
    status: 'text',
    start_date: 'date',
    end_date: 'date',
  });
const contactColumns = () =>
  new Columns('contacts', {
    authority_id: 'uuid',
    person_id: 'uuid',
    name: 'text',
    relationship: 'text',
    phone: 'text',
    email: 'text',
    address: 'text',
    parental_responsibility: 'boolean',
  });
const involvementColumns = () =>
  new Columns('involvements', {
    authority_id: 'uuid',
    person_id: 'uuid',
    team_id: 'uuid',
    worker_id: 'uuid',
    reason: 'text',
    start_date: 'date',
    end_date: 'date',
    created_at: 'timestamptz',
  });
const eventColumns = () =>
  new Columns('events', {
    authority_id: 'uuid',
    person_id: 'uuid',
    at: 'timestamptz',
    kind: 'text',
    title: 'text',
    detail: 'text',
    actor_id: 'uuid',
  });

export const DAY_MS = 86_400_000;
/** Share of open involvements with an allocated worker; the rest wait on their team's unallocated list. */
const ALLOCATED_SHARE = 0.88;
const CHUNK = 1_000;

const CARER_GIVEN = ['Kim', 'Lee', 'Chris', 'Pat', 'Robin', 'Jamie', 'Morgan', 'Sasha', 'Toni', 'Jordan'] as const;

const EVENT_TEMPLATES: Record<ServiceKey, readonly (readonly [string, string])[]> = {
  csc: [
    ['visit', 'Home visit'],
    ['visit', 'Statutory visit'],
    ['meeting', 'Strategy discussion'],
    ['meeting', 'Core group meeting'],
    ['review', 'Child in need review'],
    ['note', 'Case note'],
    ['note', 'Phone call with parent or carer'],
    ['note', 'Email from school'],
  ],
  asc: [
    ['meeting', 'Transition planning meeting'],
    ['visit', 'Care Act assessment visit'],
    ['review', 'Care and support plan review'],
    ['note', 'Case note'],
  ],
  send: [
    ['referral', 'Request for EHC needs assessment received'],
    ['note', 'Advice requested from educational psychology'],
    ['meeting', 'Annual review meeting'],
    ['review', 'Draft EHC plan issued'],
    ['note', 'Case note'],
  ],
  nhs: [
    ['visit', 'Clinic appointment'],
    ['note', 'Developmental assessment'],
    ['note', 'Letter to GP'],
  ],
  comm: [['note', 'Case note']],
};

interface Batch {
  people: Columns<'people'>;
  statuses: Columns<'person_statuses'>;
  contacts: Columns<'contacts'>;
  involvements: Columns<'involvements'>;
  events: Columns<'events'>;
}

const newBatch = (): Batch => ({
  people: peopleColumns(),
  statuses: statusColumns(),
  contacts: contactColumns(),
  involvements: involvementColumns(),
  events: eventColumns(),
});

async function insertBatch(tx: Tx, b: Batch): Promise<void> {
  // Parents before children: involvements, statuses, contacts and events refer to people.
  await b.people.insert(tx);
  await b.statuses.insert(tx);
  await b.contacts.insert(tx);
  await b.involvements.insert(tx);
  await b.events.insert(tx);
}

export interface PeopleContext {
  r: Rng;
  authorityId: string;
  localityIds: string[];
  teams: TeamPlan[];
  today: string;
  todayDay: number;
  now: Date;
  nhsSeen: Set<string>;
  upnSeen: Set<string>;
  counts: CountyCounts;
  /** A time on a day (UTC day number, ms after midnight), never after now: nothing is recorded in the future. */
  at(day: number, ms: number): Date;
}

/** The team of a kind that serves a locality (a hub in it for hub teams), else any team of that kind. */
function teamOfKind(ctx: PeopleContext, kind: TeamKind, locality: number, age: number): TeamPlan | null {
  const spec = KINDS[kind];
  if (age < spec.min || age > spec.max) return null;
  const all = ctx.teams.filter((t) => t.kind === kind);
  if (all.length === 0) return null;
  const local = all.filter((t) => t.locality === locality);
  return pick(ctx.r, local.length ? local : all);
}

/** The kinds of team working with someone now, most significant first, the way a council would place them. */
function kindsFor(r: Rng, age: number, statuses: readonly PersonStatus[]): TeamKind[] {
  const has = (s: PersonStatus) => statuses.includes(s);
  const kinds: TeamKind[] = [];
  if (has('care_leaver')) kinds.push('leaving-care');
  else if (age >= 18) kinds.push(has('disabled') ? (age <= 20 ? 'transitions' : 'adult-ld') : 'transitions');
  else if (has('child_protection_plan')) kinds.push('child-protection');
  else if (has('child_in_care')) kinds.push(age >= 16 && r() < 0.4 ? 'young-people' : 'children-in-care');
  else if (has('disabled')) kinds.push(age >= 16 && r() < 0.4 ? 'young-people' : 'disabled-children');
  else if (has('child_in_need')) kinds.push(age >= 16 ? 'young-people' : r() < 0.5 ? 'assessment' : 'family-support');
  else if (has('ehcp')) kinds.push('send-statutory');
  else if (has('sen_support')) kinds.push('send-hub');
  else kinds.push(r() < 0.6 ? 'assessment' : 'paediatrics');
  if (has('ehcp')) kinds.push('send-statutory');
  if (has('sen_support')) kinds.push('send-hub');
  if (has('ehcp') && r() < 0.2) kinds.push('ed-psych');
  if (age <= 18 && r() < 0.2) kinds.push('paediatrics');
  if (age <= 17 && r() < 0.08) kinds.push('camhs');
  if (age === 17 && has('disabled') && r() < 0.5) kinds.push('transitions');
  return kinds;
}

const between = (r: Rng, lo: number, hi: number) => (hi <= lo ? lo : int(r, lo, hi));

function addPerson(ctx: PeopleContext, b: Batch, serial: number): void {
  const { r, authorityId, counts } = ctx;
  const p = generatePerson(r, ctx.today, serial);
  // 30,000 draws from the 999 test range collide a few hundred times: redraw, the index is unique.
  while (ctx.nhsSeen.has(p.nhs_number)) p.nhs_number = fakeNhsNumber(r);
  ctx.nhsSeen.add(p.nhs_number);
  if (p.upn !== null) {
    while (ctx.upnSeen.has(p.upn)) p.upn = fakeUpn(r, serial);
    ctx.upnSeen.add(p.upn);
  }
  const id = randomUUID();
  const age = ageOn(p.date_of_birth, ctx.today);
  const dobDay = toDayNumber(p.date_of_birth);
  const locality = int(r, 0, ctx.localityIds.length - 1);

  // Teams working with them now; the first is the lead involvement.
  const teams: TeamPlan[] = [];
  for (const kind of kindsFor(r, age, p.statuses)) {
    const t = teamOfKind(ctx, kind, locality, age);
    if (t && !teams.includes(t)) teams.push(t);
  }
  if (teams.length === 0) {
    const fits = ctx.teams.filter((t) => age >= KINDS[t.kind].min && age <= KINDS[t.kind].max);
    teams.push(pick(r, fits.length ? fits : ctx.teams));
  }
  let firstDay = ctx.todayDay;
  let lead: StaffPlan | null = null;
  const serviceOfLead = KINDS[(teams[0] as TeamPlan).kind].service;
  for (const [i, t] of teams.entries()) {
    const start = between(r, Math.max(dobDay, ctx.todayDay - 4 * 365), ctx.todayDay);
    const worker = r() < ALLOCATED_SHARE ? pick(r, t.workers) : null;
    if (worker) {
      worker.caseload++;
      counts.allocated++;
    } else counts.unallocated++;
    if (i === 0) lead = worker;
    firstDay = Math.min(firstDay, start);
    b.involvements.push({
      authority_id: authorityId,
      person_id: id,
      team_id: t.id,
      worker_id: worker?.id ?? null,
      reason: KINDS[t.kind].reason,
      start_date: fromDayNumber(start),
      end_date: null,
      created_at: ctx.at(start, 9 * 3_600_000),
    });
    counts.openInvolvements++;
    // An earlier, closed episode with the same team for some: history on the record and in the reports.
    if (r() < 0.15 && start - dobDay > 120) {
      const s = between(r, Math.max(dobDay, start - 3 * 365), start - 90);
      const e = between(r, s + 30, start - 1);
      b.involvements.push({
        authority_id: authorityId,
        person_id: id,
        team_id: t.id,
        worker_id: pick(r, t.workers).id,
        reason: KINDS[t.kind].reason,
        start_date: fromDayNumber(s),
        end_date: fromDayNumber(e),
        created_at: ctx.at(s, 9 * 3_600_000),
      });
      firstDay = Math.min(firstDay, s);
    }
  }
  const createdAt = ctx.at(firstDay, 9 * 3_600_000 + int(r, 0, 8 * 3_600_000));

  b.people.push({
    id,
    authority_id: authorityId,
    case_number: `HO${100001 + serial}`,
    given_name: p.given_name,
    family_name: p.family_name,
    preferred_name: r() < 0.05 ? pick(r, GIVEN) : null,
    date_of_birth: p.date_of_birth,
    gender: p.gender,
    nhs_number: p.nhs_number,
    upn: p.upn,
    address: p.address,
    postcode: p.postcode,
    school: p.school,
    locality_id: ctx.localityIds[locality],
    created_at: createdAt,
    updated_at: createdAt,
  });

  for (const s of p.statuses) {
    // A care leaver's status starts at 18; others within the last five years (never before birth).
    const start =
      s === 'care_leaver'
        ? Math.min(dobDay + 6575, ctx.todayDay)
        : between(r, Math.max(dobDay, ctx.todayDay - 5 * 365), ctx.todayDay);
    if (s === 'child_protection_plan' && start - dobDay > 60 && r() < 0.5) {
      // Stepped up from a child in need plan.
      const was = between(r, Math.max(dobDay, start - 2 * 365), start - 1);
      b.statuses.push({
        authority_id: authorityId,
        person_id: id,
        status: 'child_in_need',
        start_date: fromDayNumber(was),
        end_date: fromDayNumber(start - 1),
      });
    }
    b.statuses.push({
      authority_id: authorityId,
      person_id: id,
      status: s,
      start_date: fromDayNumber(start),
      end_date: null,
    });
  }

  const carers = age >= 18 ? int(r, 0, 2) : int(r, 1, 3);
  const inCare = p.statuses.includes('child_in_care');
  for (let k = 0; k < carers; k++) {
    const relationship =
      k === 0 && inCare ? 'Foster carer' : pick(r, ['Mother', 'Father', 'Grandparent', 'Step-parent', 'Aunt or uncle']);
    const family = relationship === 'Foster carer' ? pick(r, FAMILY) : p.family_name;
    b.contacts.push({
      authority_id: authorityId,
      person_id: id,
      name: `${pick(r, CARER_GIVEN)} ${family}`,
      relationship,
      phone: `01632 960 ${String(int(r, 0, 999)).padStart(3, '0')}`,
      email: r() < 0.3 ? `carer${serial}.${k}@example.com` : null,
      address: relationship === 'Foster carer' ? null : p.address,
      parental_responsibility: relationship === 'Mother' || relationship === 'Father' ? r() < 0.95 : r() < 0.3,
    });
  }

  // The timeline: created, allocated, then casework events spread up to now, oldest first.
  const lo = createdAt.getTime();
  const hi = ctx.now.getTime();
  const times = Array.from({ length: int(r, 1, 9) }, () => lo + Math.floor(r() * (hi - lo))).sort((a, b) => a - b);
  b.events.push({
    authority_id: authorityId,
    person_id: id,
    at: createdAt,
    kind: 'record',
    title: 'Record created (demo data)',
    detail: null,
    actor_id: null,
  });
  const templates = EVENT_TEMPLATES[serviceOfLead];
  for (const [k, t] of times.entries()) {
    const [kind, title] =
      k === 0 && lead
        ? (['allocation', `Allocated to ${lead.name}`] as const)
        : (pick(r, templates) as [string, string]);
    b.events.push({
      authority_id: authorityId,
      person_id: id,
      at: new Date(t),
      kind,
      title,
      detail: kind === 'note' && r() < 0.5 ? 'Summary recorded (demo data).' : null,
      actor_id: lead?.id ?? null,
    });
  }
}

/** Generates and writes `count` people in chunks, adding what it writes to ctx.counts. */
export async function insertPeople(
  tx: Tx,
  ctx: PeopleContext,
  count: number,
  onChunk: (done: number) => void,
): Promise<void> {
  const { counts } = ctx;
  // Generate the next chunk while the database writes this one; the connection runs them in order.
  let writing: Promise<void> = Promise.resolve();
  for (let start = 0; start < count; start += CHUNK) {
    const b = newBatch();
    const end = Math.min(count, start + CHUNK);
    for (let i = start; i < end; i++) addPerson(ctx, b, i);
    counts.statuses += b.statuses.length;
    counts.contacts += b.contacts.length;
    counts.involvements += b.involvements.length;
    counts.events += b.events.length;
    const next = insertBatch(tx, b);
    next.catch(() => {}); // awaited below; this only stops an early failure counting as unhandled
    await writing;
    onChunk(start);
    writing = next;
  }
  await writing;
}
