// A young person's record page as a busy worker sees it, for bench/render.ts (R2) and test/record-render.test.ts:
// every panel filled (statuses open and ended, allocated and unallocated involvements, contacts, protocols,
// documents), text that needs escaping, and page 2 of a 5-page timeline. Fictional throughout. `view` is what the
// components' renderer takes; `nunjucksContext` what the Nunjucks template (before) was given, from the same data.
import { PERSON_STATUSES } from '../../src/domain/roles.ts';
import type { RecordData, RecordView } from '../../src/modules/people/views/record-view.ts';

const PERSON = '00000000-0000-4000-8000-000000000042';
const TEAM = '20000000-0000-4000-8000-000000000001';
const OTHER_TEAM = '20000000-0000-4000-8000-000000000002';

const id = (prefix: number, i: number) => `${prefix}0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

function events(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    at: new Date(Date.UTC(2026, 10, 30 - (i % 28), 9 + (i % 8), i % 60)),
    title:
      i % 4 === 0 ? `Review booked for 2026-12-${String(1 + (i % 28)).padStart(2, '0')}` : `Case note <added> ${i}`,
    detail: i % 3 === 0 ? `Spoke with O'Brien & family about "next steps" ${i}` : `Plan updated ${i}`,
    actor_name: i % 5 === 4 ? null : `Sam Worker ${i % 3}`,
  }));
}

export function recordData(): RecordData {
  return {
    person: {
      id: PERSON,
      case_number: 'HC-2026-0042',
      given_name: 'Wren',
      family_name: "O'Ashcombe",
      preferred_name: 'Wrenny & co',
      date_of_birth: '2013-04-03',
      gender: 'Female',
      nhs_number: '9434765919',
      upn: 'A123456789012',
      address: '1 Example Street, Exampletown',
      postcode: 'EX1 2MP',
      school: 'Example Academy <Upper>',
      locality_name: 'North',
    },
    age: 13,
    schoolYearLabel: 'Year 8',
    currentStatuses: [{ status: 'child_in_need' }, { status: 'sen_support' }],
    statuses: [
      { id: id(3, 1), status: 'child_in_need', start_date: '2026-09-01', end_date: null, end_reason: null },
      { id: id(3, 2), status: 'sen_support', start_date: '2026-01-10', end_date: '2027-01-10', end_reason: null },
      {
        id: id(3, 3),
        status: 'child_protection',
        start_date: '2025-02-01',
        end_date: '2025-11-30',
        end_reason: 'Plan ended: risk reduced & "stepped down"',
      },
    ],
    involvements: [
      {
        id: id(4, 1),
        team_id: TEAM,
        team_name: 'Disabled children’s team North',
        service_name: 'Children’s social care',
        worker_name: 'Sam Worker',
        reason: 'Child in need assessment',
        start_date: '2026-09-01',
        end_date: null,
      },
      {
        id: id(4, 2),
        team_id: OTHER_TEAM,
        team_name: 'SEND casework',
        service_name: 'SEND',
        worker_name: null,
        reason: 'EHC needs assessment <request>',
        start_date: '2026-10-12',
        end_date: null,
      },
      {
        id: id(4, 3),
        team_id: TEAM,
        team_name: 'Early help',
        service_name: 'Early help',
        worker_name: null,
        reason: 'Family support',
        start_date: '2024-03-01',
        end_date: '2025-01-31',
      },
    ],
    contacts: [
      {
        name: 'Jo O’Ashcombe',
        relationship: 'Mother',
        parental_responsibility: true,
        phone: '07700 900123',
        email: 'jo@example.org',
      },
      {
        name: 'Ray "Grandad" Smith',
        relationship: 'Grandfather',
        parental_responsibility: false,
        phone: null,
        email: null,
      },
      {
        name: 'Ali Khan',
        relationship: 'Social worker (previous)',
        parental_responsibility: false,
        phone: null,
        email: 'a@example.org',
      },
    ],
    events: events(25),
    breakGlass: false,
    timeline: { page: 2, pages: 5, total: 118 },
  };
}

export function recordSample() {
  const r = recordData();
  const protocols = [
    {
      id: id(5, 1),
      title: 'Transfer to adult services <18+>',
      status: 'open',
      result: null,
      started_at: new Date(Date.UTC(2026, 10, 2, 10)),
    },
    {
      id: id(5, 2),
      title: 'EHC needs assessment',
      status: 'closed',
      result: 'not_agreed_to_assess',
      started_at: new Date(Date.UTC(2026, 3, 2, 14, 30)),
    },
  ];
  const documents = [
    {
      id: id(6, 1),
      title: 'Assessment & "plan" <v2>',
      type_label: 'PDF',
      size_label: '51 KB',
      about: 'Meeting',
      aboutHref: `/panels/meetings/${id(7, 1)}`,
      target_kind: 'meeting',
      uploaded_by_name: 'Sam Worker',
      uploaded_at: new Date(Date.UTC(2026, 10, 20, 11, 5)),
      scan_result: 'clean',
    },
    {
      id: id(6, 2),
      title: 'School report',
      type_label: 'Word document',
      size_label: '834 bytes',
      about: 'Transfer',
      aboutHref: `/people/${PERSON}/transfers/${id(7, 2)}`,
      target_kind: 'transfer',
      uploaded_by_name: 'Ali Khan',
      uploaded_at: new Date(Date.UTC(2026, 9, 1, 8)),
      scan_result: null,
    },
    {
      id: id(6, 3),
      title: 'Photo',
      type_label: 'JPEG image',
      size_label: '3.3 MB',
      about: 'The record',
      aboutHref: null,
      target_kind: 'person',
      uploaded_by_name: 'Sam Worker',
      uploaded_at: new Date(Date.UTC(2026, 8, 1, 8)),
      scan_result: 'clean',
    },
  ];
  const user = {
    id: 'u1',
    displayName: 'Sam Worker',
    roles: ['social_worker', 'team_manager'],
    caps: new Set(['person:read', 'person:edit', 'involvement:manage', 'transfer:manage', 'panel:read']),
    teamIds: [TEAM],
  };
  const locals = {
    user,
    csrfToken: 'csrf-token-value',
    cspNonce: 'nonce-value',
    currentPath: `/people/${PERSON}`,
    demoMode: false,
    unreadNotifications: 3,
  };
  const statusItems = Object.entries(PERSON_STATUSES).map(([value, text]) => ({ value, text }));
  const view: RecordView = {
    r,
    statusItems,
    protocols,
    documents,
    savedText: 'Status added',
    user,
    csrfToken: locals.csrfToken,
  };
  const nunjucksContext = { ...locals, r, statusItems, protocols, documents, savedText: view.savedText };
  return { view, locals, nunjucksContext };
}
