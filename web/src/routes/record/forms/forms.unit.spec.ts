import { readFileSync } from 'node:fs';
import { buildSchema, print, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fieldForRejection, Submission, validateForm, type FormContext, type FormSpec, type PersonChoice, type Values } from '$lib/forms/engine';
import { mutationOf } from '$lib/forms/command';
import { inputErrors } from '$lib/forms/testing';
import {
  ALL_FORMS,
  formsFor,
  organiseActivity,
  pairingActivity,
  practicalHelp,
  rateDutyReport,
  recordAbsence,
  registerOpinion,
  reopenOpinion,
  stationVisit,
  suggestion,
  voterReception,
} from './index';

const SDL = readFileSync(new URL('../../../../../schema/schema.graphql', import.meta.url), 'utf8');
const schema = buildSchema(SDL);

/** The roles the SDL says may issue each mutation ("May be issued by: 人大代表 (deputy), …"). */
function issuers(mutation: string): string[] {
  const description = schema.getMutationType()!.getFields()[mutation]?.description ?? '';
  const match = /May be issued by: ([^;]*);/.exec(description);
  return match ? [...match[1]!.matchAll(/\(([a-z-]+)\)/g)].map((found) => found[1]!) : [];
}

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const deputy = (n: number): PersonChoice => ({
  personId: id(100 + n),
  name: `代表${n}`,
  mandates: [{ mandateId: id(200 + n), termNumber: 18, kind: 'DEPUTY', startsOn: '2021-11-20', validTo: null }],
  mandateId: id(200 + n),
});
const staff: FormContext = { today: '2026-06-30', role: 'staff' };

/** Values a user could have entered, per form (variants where a choice changes the commands). */
const SAMPLES: Record<string, Values[]> = {
  'organise-activity': [
    {
      kind: 'INSPECTION',
      title: '视察农村饮水安全',
      date: '2026-06-01',
      organiser: '县人大常委会',
      township: '',
      forms: ['INSPECTION', 'SPECIAL_INQUIRY'],
      participants: [deputy(1), deputy(2)],
    },
    {
      kind: 'COMMITTEE_MEETING',
      title: '常委会第十次会议',
      date: '2026-06-01',
      organiser: '县人大常委会办公室',
      township: '岳阳镇',
      forms: [],
      participants: [],
    },
  ],
  'record-participation': [{ activityId: id(1), activityLabel: '2026-06-01 视察「农村饮水安全」', person: deputy(1) }],
  'station-visit': [{ person: deputy(1), stationId: id(2), date: '2026-06-01', summary: '接待群众来访' }],
  'voter-reception': [{ stationId: id(2), date: '2026-06-01', deputies: [deputy(1), deputy(2)], votersReceived: '12', topics: '道路\n饮水' }],
  'home-visit': [{ person: deputy(1), date: '2026-06-01', place: '石桥村', visited: '村民代表 12 人', summary: '听取意见' }],
  'duty-report': [
    { person: deputy(1), year: '2025', date: '2026-01-10', audienceSize: '40', summary: '2025年度履职情况报告', venue: '', stationId: '' },
    { person: deputy(1), year: '2025', date: '2026-01-10', audienceSize: '40', summary: '报告', venue: '村委会', stationId: id(2) },
  ],
  'register-opinion': [
    {
      stationId: id(2),
      receivedBy: deputy(1),
      registeredOn: '2026-06-01',
      category: '道路交通',
      content: '村道需要硬化',
      deadline: '2026-07-01',
      voterName: '王五',
      voterPhone: '',
      voterAddress: '',
      receptionId: '',
    },
    {
      stationId: id(2),
      receivedBy: deputy(1),
      registeredOn: '2026-06-01',
      category: '道路交通',
      content: '村道需要硬化',
      deadline: '2026-07-01',
      voterName: '王五',
      voterPhone: '',
      voterAddress: '',
      receptionId: id(7),
      receptionOn: '2026-06-01',
    },
  ],
  'refer-opinion': [{ stationId: id(2), opinionId: id(3), agency: '县交通运输局', referredOn: '2026-06-02', deadline: '2026-07-02' }],
  'answer-opinion': [{ stationId: id(2), opinionId: id(3), answer: '已列入计划', answeredOn: '2026-06-20' }],
  'close-opinion': [{ stationId: id(2), opinionId: id(3), closedOn: '2026-06-25', satisfaction: 'SATISFIED', note: '' }],
  suggestion: [
    {
      kind: 'SUGGESTION',
      lead: deputy(1),
      title: '关于加强环境保护的建议',
      content: '建议……',
      draftedOn: '2026-06-01',
      submitNow: '',
      submittedOn: '',
      coSigners: [],
    },
    {
      kind: 'MOTION',
      lead: deputy(1),
      title: '议案',
      content: '内容',
      draftedOn: '2026-06-01',
      submitNow: 'true',
      submittedOn: '2026-06-02',
      coSigners: [deputy(2)],
    },
  ],
  'submit-suggestion': [{ suggestionId: id(4), submittedOn: '2026-06-02', coSigners: [] }],
  'correct-record': [{}],
  'record-absence': [
    { activityId: id(1), activityLabel: '视察', person: deputy(1), act: 'ABSENCE_WITH_LEAVE', reason: '因公出差' },
    { activityId: id(1), activityLabel: '视察', person: deputy(2), act: 'ABSENCE_WITHOUT_LEAVE', reason: '' },
  ],
  'practical-help': [
    { act: 'LEGAL_ADVICE', person: deputy(1), date: '2026-06-01', summary: '为村民解答土地承包法律问题', beneficiaries: '15', township: '石桥铺镇' },
    { act: 'DISPUTE_MEDIATION', person: deputy(1), date: '2026-06-01', summary: '调解邻里纠纷', beneficiaries: '2', township: '' },
  ],
  'pairing-activity': [
    { pairingId: id(6), pairingLabel: '结对', person: deputy(1), date: '2026-06-01', description: '共同进站接待选民', mentees: [deputy(2), deputy(3)] },
    { pairingId: id(6), pairingLabel: '结对', person: deputy(2), date: '2026-06-01', description: '学习建议写作', mentees: [] },
  ],
  'rate-duty-report': [
    { person: deputy(1), year: '2025', ratedOn: '2026-01-20', votersRating: 'COMPETENT', competent: '35', basicallyCompetent: '4', incompetent: '1' },
  ],
  'reopen-opinion': [{ stationId: id(2), opinionId: id(3), reopenedOn: '2026-06-26', deadline: '2026-07-26', reason: '选民不满意，需重新答复' }],
  'assign-suggestion': [{ suggestionId: id(4), agency: '县生态环境局', assignedOn: '2026-06-05', deadline: '2026-09-05' }],
  'answer-suggestion': [{ suggestionId: id(4), outcome: 'PARTLY_ADOPTED', answer: '已列入明年计划', answeredOn: '2026-06-20' }],
  'rate-suggestion': [{ suggestionId: id(4), ratedOn: '2026-06-28', rating: 'BASICALLY_SATISFIED' }],
  'withdraw-suggestion': [{ suggestionId: id(4), withdrawnOn: '2026-06-03', reason: '问题已解决' }],
};

function plansOf(form: FormSpec, values: Values) {
  const submission = new Submission();
  return submission.prepare(form.plan(values, submission.id, staff));
}

describe('the forms of /record', () => {
  it('has sample values for every form, which pass the form’s own checks', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(ALL_FORMS.map((form) => form.id).sort());
    for (const form of ALL_FORMS) {
      for (const values of SAMPLES[form.id]!) expect(validateForm(form, values, staff), form.id).toEqual({});
    }
  });

  it('sends inputs the GraphQL schema accepts, with a fresh command id each', () => {
    for (const form of ALL_FORMS) {
      for (const values of SAMPLES[form.id]!) {
        for (const plan of plansOf(form, values)) {
          expect(inputErrors(schema, plan, plan.commandId), `${form.id} → ${mutationOf(plan.document)}`).toEqual([]);
          expect(validate(schema, plan.document), mutationOf(plan.document)).toEqual([]);
          expect(print(plan.document), mutationOf(plan.document)).toContain(`result: ${mutationOf(plan.document)}(input: $input)`);
        }
      }
    }
  });

  it('is offered to exactly the roles the API lets issue every command it sends', () => {
    // Correcting and retracting happen on the record's row (RecordActions), with these commands.
    const sent: Record<string, string[]> = { 'correct-record': ['correctRecord', 'retractRecord'] };
    for (const form of ALL_FORMS) {
      const mutations = new Set(sent[form.id] ?? SAMPLES[form.id]!.flatMap((values) => plansOf(form, values).map((plan) => mutationOf(plan.document))));
      const allowed = [...mutations].map(issuers).reduce((common, roles) => common.filter((role) => roles.includes(role)));
      expect([...form.roles].sort(), form.id).toEqual(allowed.sort());
    }
    expect(formsFor('auditor')).toEqual([]);
    expect(formsFor('committee-member').map((form) => form.id)).toEqual(['record-participation', 'record-absence', 'practical-help', 'pairing-activity']);
    expect(formsFor('deputy').map((form) => form.id)).toEqual(
      expect.arrayContaining(['practical-help', 'pairing-activity', 'rate-suggestion', 'withdraw-suggestion']),
    );
    expect(formsFor('deputy').map((form) => form.id)).not.toContain('record-absence');
    expect(formsFor('station-manager').map((form) => form.id)).toEqual(expect.arrayContaining(['rate-duty-report', 'reopen-opinion', 'record-absence']));
    expect(formsFor('station-manager').map((form) => form.id)).not.toContain('correct-record');
    expect(formsFor('deputy').map((form) => form.id)).toContain('station-visit');
    expect(formsFor('deputy').map((form) => form.id)).not.toContain('organise-activity');
  });

  it('records an activity and each participant in the seat they held, in one command', () => {
    const plans = plansOf(organiseActivity, SAMPLES['organise-activity']![0]!);
    expect(plans.map((plan) => mutationOf(plan.document))).toEqual(['organiseActivityWithParticipants']);
    expect(plans[0]!.input.participants).toEqual([
      expect.objectContaining({ personId: id(101), mandateId: id(201) }),
      expect.objectContaining({ personId: id(102), mandateId: id(202) }),
    ]);
    // A participant's rejection is shown beside the participants.
    expect(fieldForRejection(organiseActivity, plans[0]!, 'participants.1.mandateId')).toBe('participants');
    expect(fieldForRejection(organiseActivity, plans[0]!, 'title')).toBe('title');
    expect(organiseActivity.confirm(SAMPLES['organise-activity']![0]!, staff)).toEqual({
      zh: '视察「视察农村饮水安全」（2026-06-01），参加人员 2 人：代表1、代表2',
      en: 'Inspection visit “视察农村饮水安全” (2026-06-01), 2 participant(s): 代表1, 代表2',
    });
  });

  it('asks no clerk for an id or JSON: what a form acts on comes from where it was opened, shown in words', () => {
    for (const form of ALL_FORMS) {
      for (const field of form.fields) {
        expect(['uuid', 'json', 'streamRef'], `${form.id}.${field.name}`).not.toContain(field.kind);
        expect(`${field.label.zh} ${field.label.en}`, `${form.id}.${field.name}`).not.toMatch(/编号|JSON|\bid\b/i);
      }
    }
    // Opened without the activity, the form says where to start; with it, it names it.
    expect(validateForm(recordAbsence, { ...SAMPLES['record-absence']![0]!, activityId: '' }, staff).activityId?.zh).toMatch(/培训页/);
  });

  it('shows the API’s messages beside the field they name', () => {
    const [visit] = plansOf(stationVisit, SAMPLES['station-visit']![0]!);
    expect(fieldForRejection(stationVisit, visit!, 'personId')).toBe('person');
    expect(fieldForRejection(stationVisit, visit!, 'date')).toBe('date');
    expect(fieldForRejection(stationVisit, visit!, 'recordId')).toBeNull();
    expect(fieldForRejection(registerOpinion, null, 'voter.phone')).toBe('voterPhone');
    expect(fieldForRejection(registerOpinion, null, 'receivedByPersonId')).toBe('receivedBy');
    expect(fieldForRejection(voterReception, null, 'deputies.0.mandateId')).toBe('deputies');
    expect(fieldForRejection(suggestion, null, 'leadMandateId')).toBe('lead');
  });

  it('keeps a declaring deputy to their own acts', () => {
    const me = deputy(1);
    const declaring: FormContext = { today: '2026-06-30', role: 'deputy', self: { personId: me.personId, name: me.name } };
    expect(validateForm(stationVisit, { ...SAMPLES['station-visit']![0]!, person: deputy(2) }, declaring).person?.zh).toBe('代表只能申报本人的履职事项');
    expect(validateForm(voterReception, SAMPLES['voter-reception']![0]!, declaring).deputies?.zh).toBe('代表只能申报本人的履职事项');
    expect(validateForm(stationVisit, SAMPLES['station-visit']![0]!, declaring)).toEqual({});
  });

  it('drafts and submits a suggestion at once when asked', () => {
    expect(plansOf(suggestion, SAMPLES.suggestion![1]!).map((plan) => mutationOf(plan.document))).toEqual(['draftSuggestion', 'submitSuggestion']);
  });

  it('sends the new acts as the API names them: help with its count, pairing mentees by id, absences without a date, votes nested', () => {
    const [help] = plansOf(practicalHelp, SAMPLES['practical-help']![1]!);
    expect(help!.input).toMatchObject({ act: 'DISPUTE_MEDIATION', personId: id(101), mandateId: id(201), beneficiaries: 2, township: null });
    const [pairing] = plansOf(pairingActivity, SAMPLES['pairing-activity']![0]!);
    expect(pairing!.input).toMatchObject({ pairingId: id(6), menteePersonIds: [id(102), id(103)] });
    expect(plansOf(pairingActivity, SAMPLES['pairing-activity']![1]!)[0]!.input.menteePersonIds).toEqual([]);
    expect(fieldForRejection(pairingActivity, null, 'menteePersonIds.1')).toBe('mentees');
    const [absence] = plansOf(recordAbsence, SAMPLES['record-absence']![1]!);
    expect(absence!.input).toMatchObject({ act: 'ABSENCE_WITHOUT_LEAVE', reason: null, personId: id(102) });
    expect(absence!.input).not.toHaveProperty('date');
    const [rating] = plansOf(rateDutyReport, SAMPLES['rate-duty-report']![0]!);
    expect(rating!.input).toEqual({
      personId: id(101),
      year: 2025,
      ratedOn: '2026-01-20',
      votersRating: 'COMPETENT',
      votes: { competent: 35, basicallyCompetent: 4, incompetent: 1 },
    });
    expect(fieldForRejection(rateDutyReport, null, 'votes.incompetent')).toBe('incompetent');
    expect(rateDutyReport.confirm(SAMPLES['rate-duty-report']![0]!, staff)).toEqual({
      zh: '代表1 2025 年度述职评议：称职',
      en: '代表1’s duty report for 2025 rated: Competent',
    });
  });

  it('checks the limits the API would refuse: at least one person helped, votes not negative, a deadline not before reopening', () => {
    expect(validateForm(practicalHelp, { ...SAMPLES['practical-help']![0]!, beneficiaries: '0' }, staff).beneficiaries?.en).toBe('Must be at least 1');
    expect(validateForm(rateDutyReport, { ...SAMPLES['rate-duty-report']![0]!, incompetent: '-1' }, staff).incompetent?.en).toBe('Must be at least 0');
    expect(validateForm(reopenOpinion, { ...SAMPLES['reopen-opinion']![0]!, deadline: '2026-06-01' }, staff).deadline?.zh).toBe('不能早于重新办理日期');
    // A declaring deputy helps as themself only.
    const declaring: FormContext = { today: '2026-06-30', role: 'deputy', self: { personId: deputy(1).personId, name: deputy(1).name } };
    expect(validateForm(practicalHelp, { ...SAMPLES['practical-help']![0]!, person: deputy(2) }, declaring).person?.zh).toBe('代表只能申报本人的履职事项');
  });
});
