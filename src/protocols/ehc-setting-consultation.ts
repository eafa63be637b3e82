// The consultation of a school or college the family asks to be named in section I of an EHC plan, driven by the
// ehc-plans module (src/modules/ehc-plans): the coordinator sends the draft plan to the setting and records its
// answer on the plan's consultation page; the module moves this protocol on in the same transaction. The council
// must consult the governing body, proprietor or principal before naming the setting (Children and Families Act 2014
// s.39(2) for a request under s.38(2)(b)(ii), s.40(2) otherwise); the setting should answer within 15 days (the SEND
// Code of Practice 2015's guidance on the draft plan, chapter 9). Which paragraph says so (9.79 or 9.83) could not be
// checked against the Code itself, so the sources cite the Act's duty to consult and the chapter, not a paragraph.
// If the setting does not answer, the council still decides and issues the final plan on time: the overdue ladder
// tells the coordinator, then the SEND managers.
import { defineProtocol } from '../domain/protocol/definition.ts';

const coordinator = 'field:coordinator';

export const ehcSettingConsultation = defineProtocol({
  id: 'ehc-setting-consultation',
  version: 1,
  title: 'Consultation of a school or college for an EHC plan',
  description:
    'The draft EHC plan is sent to the school or college the family asked for; it has 15 days to say whether it agrees to be named. The coordinator records the answer; without one, the council still decides.',
  source:
    'Children and Families Act 2014 s.39(2) and s.40(2); SEND Code of Practice 2015 chapter 9 (the draft EHC plan)',
  anchors: ['consulted'],
  inputs: [
    { name: 'coordinator', label: 'EHCP coordinator', type: 'user' },
    { name: 'consultation_id', label: 'Consultation', type: 'text' },
  ],
  start: 'awaiting_response',
  steps: [
    {
      id: 'awaiting_response',
      title: 'Response due from the school or college consulted',
      responsible: coordinator,
      guidance:
        'Record the setting’s answer on the plan’s consultation page. If it has not answered in 15 days, chase it; the final plan must still be issued on time.',
      deadline: {
        days: 15,
        from: 'consulted',
        source:
          'Children and Families Act 2014 s.39(2)/s.40(2): consult the setting; 15 days to respond (SEND Code of Practice 2015, ch. 9)',
      },
      overdue: [{ action: 'remind' }, { after: { days: 5 }, action: 'notify', to: 'role:send_manager' }],
      outcomes: [
        { id: 'agrees', label: 'The setting agrees to be named', end: 'agrees' },
        { id: 'does_not_agree', label: 'The setting does not agree to be named', end: 'does_not_agree' },
        { id: 'withdrawn', label: 'The consultation was withdrawn', end: 'withdrawn' },
      ],
    },
  ],
});
