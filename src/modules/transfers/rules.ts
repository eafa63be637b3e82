// The Kent transfer protocol's pure rules (shared/seeds/002_ef5c06fd8026eae8.txt): team remits, and the transfer
// standards checklist computed from the case. The lifecycle is the kent-team-transfer protocol (src/protocols).
import { ageOn } from '../../domain/age.ts';
import { addDays } from '../../domain/calendar.ts';

// ---- remits ---------------------------------------------------------------------------------------------

export interface Remit {
  id: string;
  name: string;
  min: number;
  max: number;
  caseTypes: readonly string[];
  localityId: string | null;
}

export interface CaseFacts {
  dateOfBirth: string;
  statuses: readonly string[];
  localityId: string | null;
}

/** Statuses that decide which social care team holds a case. */
export const CASE_TYPES = ['child_in_need', 'child_protection_plan', 'child_in_care', 'care_leaver', 'disabled'];

/** Why a case sits outside a team's remit today, or null when it fits. */
export function outsideRemit(team: Remit, c: CaseFacts, today: string): string | null {
  const age = ageOn(c.dateOfBirth, today);
  if (age < team.min || age > team.max) return `aged ${age}; the team's remit is ${team.min} to ${team.max}`;
  const relevant = c.statuses.filter((s) => CASE_TYPES.includes(s));
  if (team.caseTypes.length && relevant.length && !relevant.some((s) => team.caseTypes.includes(s)))
    return `case type (${relevant.join(', ').replace(/_/g, ' ')}) is not in the team's remit`;
  if (team.localityId && c.localityId && team.localityId !== c.localityId) return 'lives outside the team’s locality';
  return null;
}

/** The date a person turns `age`: a 29 February birthday falls on 1 March in other years. */
export function birthdayOf(dateOfBirth: string, age: number): string {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const year = y + age;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (m === 2 && d === 29 && !leap) return `${year}-03-01`;
  return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The day a case leaves the team's age band, if that falls within `horizonDays` of today. */
export function leavesRemitOn(team: Remit, c: CaseFacts, today: string, horizonDays: number): string | null {
  const day = birthdayOf(c.dateOfBirth, team.max + 1);
  return day > today && day <= addDays(today, horizonDays) ? day : null;
}

export interface TransferPoint {
  fromTeamId: string;
  toTeamId: string;
  atAge: number | null;
  caseType: string | null;
  /** 'step_down': the point applies once the case type has ended; otherwise while the case has it. */
  direction?: string;
}

/**
 * The receiving team the remits propose for a case on `onDate`: a transfer point from the current team that
 * applies, else the team whose remit fits best (its own locality first, then the narrowest age band).
 */
export function proposeTeam(
  teams: readonly Remit[],
  points: readonly TransferPoint[],
  currentTeamId: string,
  c: CaseFacts,
  onDate: string,
): Remit | null {
  const age = ageOn(c.dateOfBirth, onDate);
  const fits = (t: Remit) => t.id !== currentTeamId && outsideRemit(t, c, onDate) === null;
  // A transfer point is the council's own rule, so only the receiving team's ages are checked: the case type
  // may change with the move (a child in care becomes a care leaver at 18).
  const agesFit = (t: Remit) => t.id !== currentTeamId && age >= t.min && age <= t.max;
  for (const p of points) {
    if (p.fromTeamId !== currentTeamId) continue;
    const ageOk = p.atAge === null || age >= p.atAge;
    const typeOk = p.caseType === null || c.statuses.includes(p.caseType) === (p.direction !== 'step_down');
    const team = teams.find((t) => t.id === p.toTeamId);
    if (ageOk && typeOk && team && agesFit(team)) return team;
  }
  const relevant = c.statuses.filter((s) => CASE_TYPES.includes(s));
  const candidates = teams
    .filter(fits)
    .filter((t) => t.caseTypes.length === 0 || relevant.some((s) => t.caseTypes.includes(s)) || !relevant.length);
  candidates.sort(
    (a, b) =>
      Number(b.localityId !== null && b.localityId === c.localityId) -
        Number(a.localityId !== null && a.localityId === c.localityId) ||
      relevant.filter((s) => b.caseTypes.includes(s)).length - relevant.filter((s) => a.caseTypes.includes(s)).length ||
      a.max - a.min - (b.max - b.min) ||
      a.name.localeCompare(b.name),
  );
  return candidates[0] ?? null;
}

// ---- the transfer's status ----------------------------------------------------------------------------------

/**
 * Where a transfer is, as its pages and lists show it: a projection of its kent-team-transfer instance (the steps,
 * owners, deadlines and which outcome leads where are the definition's; flow.ts maps a step to one of these).
 */
export type TransferStatus = 'requested' | 'sent' | 'returned' | 'accepted' | 'completed' | 'cancelled';

/** Statuses of a transfer still in progress. */
export const LIVE: readonly TransferStatus[] = ['requested', 'sent', 'returned', 'accepted'];

// ---- the transfer standards checklist ---------------------------------------------------------------------

export type TaskStatus = 'completed' | 'incomplete' | 'not_needed' | 'cannot_start';
export interface ChecklistTask {
  key: 'summary' | 'sign_off' | 'quality_assurance' | 'notices' | 'handover_meeting' | 'remedial_work';
  title: string;
  hint: string;
  status: TaskStatus;
}

export interface ChecklistFacts {
  today: string;
  latestAssessment: string | null;
  summaryWritten: boolean;
  summarySignedOff: boolean;
  qualityAssured: boolean;
  noticesSent: boolean;
  meetingRecorded: boolean;
  openRemedialTasks: number;
  /** Parts of the protocol suspended under an approved contingency plan. */
  suspended: readonly string[];
}

/** One month before `today` (the same day of the previous month, or its last day). */
export function oneMonthBefore(today: string): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const py = m === 1 ? y - 1 : y;
  const pm = m === 1 ? 12 : m - 1;
  const last = new Date(Date.UTC(py, pm, 0)).getUTCDate();
  return `${py}-${String(pm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Kent 5.1: a transfer summary is needed when the latest assessment is over one month old (or there is none). */
export function summaryRequired(latestAssessment: string | null, today: string): boolean {
  return latestAssessment === null || latestAssessment < oneMonthBefore(today);
}

export const SUSPENDABLE_PARTS = {
  handover_meeting: 'Handover meeting with the child and carer',
  quality_assurance: 'Quality assurance of the file by the supervising manager',
  transfer_summary: 'Transfer summary for assessments over one month old',
} as const;
export type SuspendablePart = keyof typeof SUSPENDABLE_PARTS;

/** A task a contingency plan may suspend: not needed while suspended, else done or to do. */
function suspendable(
  f: ChecklistFacts,
  key: 'quality_assurance' | 'handover_meeting',
  title: string,
  done: boolean,
  hint: string,
): ChecklistTask {
  const suspended = f.suspended.includes(key);
  return {
    key,
    title,
    hint: suspended ? 'Suspended under an approved contingency plan' : hint,
    status: suspended ? 'not_needed' : done ? 'completed' : 'incomplete',
  };
}

export function checklist(f: ChecklistFacts): ChecklistTask[] {
  const needSummary = summaryRequired(f.latestAssessment, f.today) && !f.suspended.includes('transfer_summary');
  const tasks: ChecklistTask[] = [
    {
      key: 'summary',
      title: 'Write the transfer summary',
      hint: needSummary
        ? f.latestAssessment
          ? `The latest assessment (${f.latestAssessment}) is over one month old: updated information, important dates and urgent actions`
          : 'There is no assessment on record: updated information, important dates and urgent actions'
        : f.suspended.includes('transfer_summary')
          ? 'Suspended under an approved contingency plan'
          : 'Not needed: the latest assessment is less than one month old',
      status: needSummary ? (f.summaryWritten ? 'completed' : 'incomplete') : 'not_needed',
    },
    {
      key: 'sign_off',
      title: 'Team manager signs off the summary',
      hint: 'Summaries must be signed off by the team manager',
      status: !needSummary
        ? 'not_needed'
        : f.summarySignedOff
          ? 'completed'
          : f.summaryWritten
            ? 'incomplete'
            : 'cannot_start',
    },
    suspendable(
      f,
      'quality_assurance',
      'Supervising manager quality-assures the file',
      f.qualityAssured,
      'Records up to date and the case meets the practice standards',
    ),
    {
      key: 'notices',
      title: 'Tell everyone involved in writing',
      hint: 'Every involved agency, professional and family member: the new team and its contact details',
      status: f.noticesSent ? 'completed' : 'incomplete',
    },
    suspendable(
      f,
      'handover_meeting',
      'Hold a handover meeting with the child and carer',
      f.meetingRecorded,
      'Where possible; otherwise record why not',
    ),
  ];
  if (f.openRemedialTasks > 0)
    tasks.push({
      key: 'remedial_work',
      title: 'Do the missing work the receiving team sent back',
      hint: `${f.openRemedialTasks} action${f.openRemedialTasks === 1 ? '' : 's'} still open`,
      status: 'incomplete',
    });
  return tasks;
}

export function checklistComplete(tasks: readonly ChecklistTask[]): boolean {
  return tasks.every((t) => t.status === 'completed' || t.status === 'not_needed');
}

// ---- timeliness ---------------------------------------------------------------------------------------------

/** The value at quantile q (0..1) of the numbers, by the nearest-rank method; null for none. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] as number;
}
