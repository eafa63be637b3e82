// Words for the demo's requests and calls (issue 13 part 10): what a setting tried through the graduated response,
// what it asks for, what triage said, advice given on the phone. About needs, never about a named child.
import type {
  ApdrCycle,
  AreaOfNeed,
  CallerType,
  CallTopic,
  SettingKind,
  TriageOutcome,
} from '../../db/schema-send-hubs.ts';
import { addDays } from '../../domain/calendar.ts';
import { int, pick, type Rng } from '../kit/fake.ts';

const CYCLES: Record<AreaOfNeed, [assess: string, plan: string, review: string][]> = {
  communication_interaction: [
    [
      'Speech and language screen: understanding of two-step instructions well below age',
      'Visual timetable; pre-teaching of topic vocabulary three times a week',
      'Some progress with routines; still cannot follow whole-class instructions',
    ],
    [
      'Observation at unstructured times: plays alone, distressed by changes to routine',
      'Social stories for transitions; a calm space with a named adult at break times',
      'Fewer incidents at break; transitions between lessons remain very hard',
    ],
  ],
  cognition_learning: [
    [
      'Reading and spelling assessment: decoding about three years behind',
      'Daily phonics intervention in a small group; coloured overlays tried',
      'Slow progress; gap with peers widening, confidence low',
    ],
    [
      'Maths assessment: number bonds to 10 not secure',
      'Concrete resources and a precision-teaching programme four times a week',
      'Small gains that are not kept over holidays',
    ],
  ],
  semh: [
    [
      'Strengths and difficulties questionnaire with parent carer and class teacher',
      'Daily check-in with the pastoral lead; a time-out card; nurture group twice a week',
      'Some calmer days; still leaving lessons most days and two fixed-term suspensions',
    ],
    [
      'Attendance review and a meeting with the parent carer: anxiety about coming in',
      'Part-time timetable building back up; a soft start in the library each morning',
      'Attendance up from 60% to 72%; panic before maths and PE continues',
    ],
  ],
  sensory_physical: [
    [
      'Classroom observation of fine and gross motor skills; handwriting sample',
      'Daily fine-motor group, writing slope and pencil grips; a laptop for longer work',
      'Handwriting more legible; fatigue and falls in PE remain a concern',
    ],
    [
      'Sensory checklist with the family: overwhelmed by noise and busy places',
      'Ear defenders, a movement break every 30 minutes, a quieter place to eat lunch',
      'Fewer meltdowns in class; lunchtimes and assemblies still very hard',
    ],
  ],
};

const ASKING: Record<AreaOfNeed, string[]> = {
  communication_interaction: [
    'A speech and language assessment and advice for the class team',
    'Consultation with the communication and interaction specialist teacher',
  ],
  cognition_learning: [
    'An educational psychology consultation on the learning profile',
    'Advice on a literacy intervention and assessment for access arrangements',
  ],
  semh: [
    'CAMHS link advice and a plan for a reduced timetable',
    'Educational psychology consultation and training for staff on emotionally based school avoidance',
  ],
  sensory_physical: [
    'An occupational therapy assessment and advice on equipment',
    'Advice from the sensory support team on the classroom environment',
  ],
};

export const AREAS: readonly AreaOfNeed[] = [
  'communication_interaction',
  'cognition_learning',
  'semh',
  'sensory_physical',
];

/** One or two areas of need, mostly one. */
export function areasOfNeed(r: Rng): AreaOfNeed[] {
  const first = pick(r, AREAS);
  if (r() < 0.7) return [first];
  const second = pick(
    r,
    AREAS.filter((a) => a !== first),
  );
  return [first, second];
}

/** The graduated response so far: usually two assess-plan-do-review cycles ending before `received`. */
export function apdrCycles(r: Rng, areas: AreaOfNeed[], received: string): ApdrCycle[] {
  const n = r() < 0.75 ? 2 : r() < 0.5 ? 1 : 3;
  const out: ApdrCycle[] = [];
  let to = addDays(received, -int(r, 7, 21));
  for (let i = 0; i < n; i++) {
    const weeks = int(r, 6, 10);
    const from = addDays(to, -weeks * 7);
    const [assess, plan, review] = pick(r, CYCLES[areas[i % areas.length] as AreaOfNeed]);
    out.unshift({ assess, plan, do: `Delivered by a teaching assistant for ${weeks} weeks`, review, from, to });
    to = addDays(from, -int(r, 10, 30));
  }
  return out;
}

export function askingFor(r: Rng, areas: AreaOfNeed[]): string {
  return pick(r, ASKING[areas[0] as AreaOfNeed]);
}

export const PARENT_VIEWS = [
  'Worried that things are getting harder at home as well as at school',
  'Agree with the school’s plan and want to know what the hub can add',
  'Would like someone to explain the options, including an EHC needs assessment',
  'Feel the support so far has helped a little but not enough',
];

/** Age band and year group for a child at this kind of setting. */
export function childBand(
  kind: SettingKind,
  name: string,
  r: Rng,
): { min: number; max: number; year: (age: number) => string } {
  if (kind === 'early_years') return { min: 2, max: 4, year: () => pick(r, ['Nursery', 'Pre-school']) };
  if (kind === 'further_education')
    return { min: 16, max: 22, year: () => pick(r, ['Level 1 course', 'Level 2 course', 'Supported internship']) };
  if (kind === 'special_school') return { min: 5, max: 17, year: (age) => `Year ${Math.max(1, age - 5)}` };
  if (/primary/i.test(name)) return { min: 5, max: 10, year: (age) => (age === 5 ? 'Reception' : `Year ${age - 5}`) };
  return { min: 11, max: 15, year: (age) => `Year ${age - 4}` };
}

export const TRIAGE_NOTES: Record<Exclude<TriageOutcome, 'withdrawn'>, readonly string[]> = {
  advice: [
    'Advice given to the SENCO by the specialist teacher; signposted to the Graduated Response Tool and the Local Offer',
    'Consultation call with the educational psychologist; strategies sent to the setting',
  ],
  declined: [],
  more_info: [
    'Up-to-date attendance figures and the latest SEN support plan review',
    'The parent carer’s views and the speech and language screen',
  ],
  further_support: ['Needs beyond what the hub can offer: referred to the locality team for Further SEND Support'],
  ehc_assessment: ['The evidence from two cycles and the hub’s involvement shows an EHC needs assessment is needed'],
  first_support: ['First SEND Support agreed: visits to the setting and a consultation with the family'],
};

/** A decline's reason and the alternative suggested ("the hub tries not to say no"). */
export const DECLINES: readonly (readonly [reason: string, alternative: string])[] = [
  [
    'The setting has not yet tried a second assess-plan-do-review cycle',
    'Run the suggested cycle for 6 weeks with the hub’s advice line, then ask again',
  ],
  [
    'The need is mainly medical and is being met by the community paediatric team',
    'The school nursing team and the paediatrician’s care plan; the hub stays available for advice',
  ],
];

export const CONTACT_SUMMARIES = [
  'Agreed the support plan and who does what with the SENCO',
  'Phoned the parent carer to explain the First SEND Support offer',
  'Visited the setting with the specialist teacher; strategies modelled in class',
  'Video call with the parent carer and SENCO to review progress',
];

export const CALL_TOPICS: readonly CallTopic[] = [
  'communication_interaction',
  'cognition_learning',
  'semh',
  'semh',
  'sensory_physical',
  'graduated_response',
  'graduated_response',
  'ehcp_process',
  'transition',
  'exclusion_attendance',
  'other',
];
export const CALLERS: readonly CallerType[] = [
  'senco',
  'senco',
  'senco',
  'teacher',
  'head',
  'parent_carer',
  'parent_carer',
  'young_person',
  'other_professional',
];

export const CALL_ADVICE: Record<CallTopic, string> = {
  communication_interaction: 'Talked through visual supports and a communication-friendly classroom checklist',
  cognition_learning: 'Suggested a precision-teaching approach and how to measure progress over 6 weeks',
  semh: 'Discussed a key adult, a safe space and how to record what happens before an incident',
  sensory_physical: 'Explained reasonable adjustments and when to ask for an occupational therapy view',
  graduated_response: 'Went through the Graduated Response Tool and what a second assess-plan-do-review cycle needs',
  ehcp_process: 'Explained when to ask for an EHC needs assessment and what evidence helps',
  transition: 'Advice on a transition plan with extra visits and a one-page profile',
  exclusion_attendance: 'Discussed alternatives to suspension and an attendance support plan',
  other: 'Listened and agreed what the setting can try first',
};
export const SIGNPOSTS = [
  'Local Offer website',
  'SENDIASS (information, advice and support service)',
  'Parent carer forum',
  'School nursing team',
  'Early help hub',
];
