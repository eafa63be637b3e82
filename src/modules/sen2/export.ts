// The return written out: XML in the COLLECT structure (Header, then each Person with its Requests, the Assessment
// under a request, the NamedPlan and PlanDetail under an assessment, and ActivePlans with PlacementDetail and
// SENneed), and one CSV per module, each row carrying the keys that join it to its parent. An item the record does
// not hold is left out of the XML and empty in the CSV.
import { csvCell } from '../kit/csv.ts';
import type { NamedPlan, Person, Sen2Return } from './build.ts';
import type { Sen2Module } from './codes.ts';

type Value = string | number | boolean | null;
const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const text = (v: Value) => (typeof v === 'boolean' ? (v ? '1' : '0') : String(v));

class Xml {
  lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  depth = 0;
  open(name: string) {
    this.lines.push(`${'  '.repeat(this.depth++)}<${name}>`);
  }
  close(name: string) {
    this.lines.push(`${'  '.repeat(--this.depth)}</${name}>`);
  }
  items(items: [string, Value][]) {
    for (const [k, v] of items)
      if (v !== null && v !== '') this.lines.push(`${'  '.repeat(this.depth)}<${k}>${esc(text(v))}</${k}>`);
  }
}

function planItems(p: NamedPlan): [string, Value][] {
  return [
    ['StartDate', p.startDate],
    ['PlanRes', p.planRes],
    ['PlanWBP', p.planWBP],
    ['PB', p.pb],
    ['OA', p.oa],
    ['DP', p.dp],
    ['CeaseDate', p.ceaseDate],
    ['CeaseReason', p.ceaseReason],
  ];
}
function detailItems(d: NamedPlan['detail'][number]): [string, Value][] {
  return [
    ['URN', d.urn],
    ['UKPRN', d.ukprn],
    ['SENsetting', d.senSetting],
    ['SENsettingOther', d.senSettingOther],
    ['PlacementRank', d.placementRank],
    ['SENunitIndicator', d.senUnitIndicator],
    ['ResourcedProvisionIndicator', d.resourcedProvisionIndicator],
  ];
}
function personItems(p: Person): [string, Value][] {
  return [
    ['Surname', p.surname],
    ['Forename', p.forename],
    ['PersonBirthDate', p.birthDate],
    ['Sex', p.sex],
    ['Ethnicity', p.ethnicity],
    ['PostCode', p.postcode],
    ['UPN', p.upn],
    ['UniqueLearnerNumber', p.uln],
    ['UPNunknown', p.upnUnknown],
  ];
}
type Req = Person['requests'][number];
function requestItems(r: Req): [string, Value][] {
  return [
    ['ReceivedDate', r.receivedDate],
    ['RequestSource', r.requestSource],
    ['RYA', r.rya],
    ['RequestOutcomeDate', r.requestOutcomeDate],
    ['RequestOutcome', r.requestOutcome],
    ['RequestMediation', r.requestMediation],
    ['RequestTribunal', r.requestTribunal],
    ['Exported', r.exported],
  ];
}
function assessmentItems(a: NonNullable<Req['assessment']>): [string, Value][] {
  return [
    ['AssessmentOutcome', a.outcome],
    ['AssessmentOutcomeDate', a.outcomeDate],
    ['AssessmentMediation', a.mediation],
    ['AssessmentTribunal', a.tribunal],
    ['Week20', a.week20],
  ];
}
type Active = Person['activePlans'][number];
function activeItems(a: Active): [string, Value][] {
  return [
    ['TransferLA', a.transferLA],
    ['ReviewMeeting', a.reviewMeeting],
    ['ReviewOutcome', a.reviewOutcome],
    ['ReviewDraft', a.reviewDraft],
    ['PhaseTransferDueDate', a.phaseTransferDueDate],
    ['PhaseTransferFinalDate', a.phaseTransferFinalDate],
    ['LastReview', a.lastReview],
  ];
}
function placementItems(d: Active['placements'][number]): [string, Value][] {
  return [
    ...detailItems(d).filter(([k]) => k !== 'SENsettingOther'),
    ['EntryDate', d.entryDate],
    ['LeavingDate', d.leavingDate],
    ['AttendancePattern', d.attendancePattern],
  ];
}

function namedPlanXml(x: Xml, p: NamedPlan) {
  x.open('NamedPlan');
  x.items(planItems(p));
  for (const d of p.detail) {
    x.open('PlanDetail');
    x.items(detailItems(d));
    x.close('PlanDetail');
  }
  x.close('NamedPlan');
}

export function returnXml(r: Sen2Return): string {
  const x = new Xml();
  const h = r.header;
  x.open('Message');
  x.open('Header');
  x.open('CollectionDetails');
  x.items([
    ['Collection', h.collection],
    ['Year', h.year],
    ['ReferenceDate', h.referenceDate],
  ]);
  x.close('CollectionDetails');
  x.open('Source');
  x.items([
    ['SourceLevel', h.sourceLevel],
    ['LEA', h.lea],
    ['SoftwareCode', h.softwareCode],
    ['Release', h.release],
    ['SerialNo', h.serialNo],
    ['DateTime', h.dateTime],
  ]);
  x.close('Source');
  x.close('Header');
  x.open('Persons');
  for (const p of r.persons) {
    x.open('Person');
    x.items(personItems(p));
    for (const q of p.requests) {
      x.open('Requests');
      x.items(requestItems(q));
      if (q.assessment) {
        x.open('Assessment');
        x.items(assessmentItems(q.assessment));
        if (q.assessment.namedPlan) namedPlanXml(x, q.assessment.namedPlan);
        x.close('Assessment');
      }
      x.close('Requests');
    }
    for (const o of p.otherPlans) namedPlanXml(x, o);
    for (const a of p.activePlans) {
      x.open('ActivePlans');
      x.items(activeItems(a));
      for (const d of a.placements) {
        x.open('PlacementDetail');
        x.items(placementItems(d));
        x.close('PlacementDetail');
      }
      for (const n of a.needs) {
        x.open('SENneed');
        x.items([
          ['SENtype', n.senType],
          ['SENtypeRank', n.senTypeRank],
        ]);
        x.close('SENneed');
      }
      x.close('ActivePlans');
    }
    x.close('Person');
  }
  x.close('Persons');
  x.close('Message');
  return `${x.lines.join('\n')}\n`;
}

/** The rows of one module, each led by the keys joining it to its parent (the council's case number for a
 *  person, the record's ids for a request and a plan). */
export function moduleRows(r: Sen2Return, m: Sen2Module): { header: string[]; rows: Value[][] } {
  const rows: [string, Value][][] = [];
  for (const p of r.persons) {
    const pk: [string, Value][] = [['PersonKey', p.caseNumber]];
    if (m === 'Person') rows.push([...pk, ...personItems(p)]);
    for (const q of p.requests) {
      const rk: [string, Value][] = [...pk, ['RequestKey', q.assessmentId]];
      if (m === 'Requests') rows.push([...rk, ...requestItems(q)]);
      const a = q.assessment;
      if (!a) continue;
      if (m === 'Assessment') rows.push([...rk, ...assessmentItems(a)]);
      if (a.namedPlan) planRows(m, rows, [...rk, ['PlanKey', a.namedPlan.planId]], a.namedPlan);
    }
    for (const o of p.otherPlans) planRows(m, rows, [...pk, ['RequestKey', null], ['PlanKey', o.planId]], o);
    for (const a of p.activePlans) {
      const ak: [string, Value][] = [...pk, ['PlanKey', a.planId]];
      if (m === 'ActivePlans') rows.push([...ak, ...activeItems(a)]);
      if (m === 'PlacementDetail') for (const d of a.placements) rows.push([...ak, ...placementItems(d)]);
      if (m === 'SENneed')
        for (const n of a.needs) rows.push([...ak, ['SENtype', n.senType], ['SENtypeRank', n.senTypeRank]]);
    }
  }
  const header = rows[0]?.map(([k]) => k) ?? emptyHeader(m);
  return { header, rows: rows.map((row) => row.map(([, v]) => v)) };
}

function planRows(m: Sen2Module, rows: [string, Value][][], keys: [string, Value][], p: NamedPlan) {
  if (m === 'NamedPlan') rows.push([...keys, ...planItems(p)]);
  if (m === 'PlanDetail') for (const d of p.detail) rows.push([...keys, ...detailItems(d)]);
}

/** A module's columns when it has no rows (the CSV still says what it would hold). */
function emptyHeader(m: Sen2Module): string[] {
  const blank = {
    personId: '',
    caseNumber: '',
    surname: '',
    forename: '',
    birthDate: '',
    sex: 'U',
    ethnicity: null,
    postcode: null,
    upn: null,
    uln: null,
    upnUnknown: null,
    requests: [],
    activePlans: [],
    otherPlans: [],
  } satisfies Person;
  const plan: NamedPlan = {
    planId: '',
    startDate: null,
    planRes: null,
    planWBP: null,
    pb: null,
    oa: null,
    dp: null,
    ceaseDate: null,
    ceaseReason: null,
    detail: [
      {
        urn: null,
        ukprn: null,
        senSetting: null,
        senSettingOther: null,
        placementRank: 1,
        senUnitIndicator: null,
        resourcedProvisionIndicator: null,
        name: null,
      },
    ],
  };
  const one: Person = {
    ...blank,
    requests: [
      {
        assessmentId: '',
        receivedDate: '',
        requestSource: '',
        rya: null,
        requestOutcomeDate: null,
        requestOutcome: null,
        requestMediation: null,
        requestTribunal: null,
        exported: null,
        assessment: {
          outcome: null,
          outcomeDate: null,
          mediation: null,
          tribunal: null,
          week20: false,
          namedPlan: plan,
        },
      },
    ],
    activePlans: [
      {
        planId: '',
        transferLA: null,
        reviewMeeting: null,
        reviewOutcome: null,
        reviewDraft: null,
        phaseTransferDueDate: null,
        phaseTransferFinalDate: null,
        lastReview: null,
        placements: plan.detail.map((d) => ({ ...d, entryDate: null, leavingDate: null, attendancePattern: null })),
        needs: [{ senType: '', senTypeRank: 1 }],
      },
    ],
  };
  return moduleRows({ persons: [one] } as unknown as Sen2Return, m).header;
}

export function moduleCsv(r: Sen2Return, m: Sen2Module): string {
  const { header, rows } = moduleRows(r, m);
  const cell = (v: Value) => csvCell(v === null ? '' : text(v));
  return `${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
