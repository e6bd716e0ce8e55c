/**
 * The forms of /record, described for the form engine ($lib/forms/engine.ts): each names its
 * fields (with the limits of the GraphQL input: lengths, dates not in the future, counts), the
 * roles that may use it (those the API lets issue every command it sends; see the mutations'
 * "May be issued by" in schema.graphql — a unit test keeps them in step) and the commands it sends.
 */
import {
  compact,
  intOf,
  isDeclaring,
  linesOf,
  listOf,
  message,
  peopleOf,
  personOf,
  textOf,
  type CommandPlan,
  type Field,
  type FormContext,
  type FormSpec,
  type Option,
  type PersonChoice,
  type Values,
} from '$lib/forms/engine';
import { names } from '$lib/forms/labels';
import type { Bilingual } from '$lib/messages';

// ---------------------------------------------------------------------------------------------
// Roles (as the API's mutations list them)

const STAFF = ['staff', 'admin'] as const;
const STATION_ACTS = ['deputy', 'staff', 'station-manager', 'admin'] as const;
const ACT_RECORDERS = ['deputy', 'staff', 'station-manager', 'committee-member', 'admin'] as const;
/** Those whose records are approved on entry: they record absences (never declared). */
const RECORDERS = ['staff', 'station-manager', 'committee-member', 'admin'] as const;
const OPINION_HANDLERS = ['staff', 'station-manager', 'admin'] as const;
const SUGGESTION_WRITERS = ['deputy', 'staff', 'admin'] as const;
const DUTY_REPORT_RATERS = ['station-manager', 'staff', 'admin'] as const;

const DEPUTY_SEAT = ['DEPUTY'];

// ---------------------------------------------------------------------------------------------
// Shared fields and words

const L = {
  date: { zh: '日期', en: 'Date' },
  station: { zh: '家站', en: 'Station' },
  deputy: { zh: '代表', en: 'Deputy' },
  summary: { zh: '履职内容', en: 'What was done' },
  opinion: { zh: '意见', en: 'Opinion' },
  reason: { zh: '理由', en: 'Reason' },
  recordId: { zh: '记录编号', en: 'Record id' },
  streamId: { zh: '事件流', en: 'Stream' },
  suggestionId: { zh: '建议编号', en: 'Suggestion id' },
  deadline: { zh: '答复期限', en: 'Deadline' },
} satisfies Record<string, Bilingual>;

const notOwn = { zh: '代表只能申报本人的履职事项', en: 'A deputy can only declare their own acts' };

/** A declaring deputy may name only themself (as the API's `not-own-act`). */
function ownActs(value: unknown, _values: Values, context: FormContext): Bilingual | null {
  if (!isDeclaring(context) || !context.self) return null;
  const chosen = Array.isArray(value) ? value : value ? [value] : [];
  return chosen.some((person) => (person as PersonChoice).id !== context.self!.personId) ? notOwn : null;
}

/**
 * The person who did the act, in the seat they held that day (of `kinds`, any when none): a
 * declaring deputy is themself. Without a date field the seat must be held today.
 */
const actorField = (name: string, label: Bilingual, dateField: string | undefined, api: string[], kinds?: readonly string[]): Field => ({
  kind: 'person',
  name,
  label,
  required: true,
  mandate: { ...(kinds ? { kinds } : {}), ...(dateField ? { dateField } : {}) },
  selfWhenDeclaring: true,
  api,
  check: ownActs,
});

/** A deputy acting in their deputy seat on the date of `dateField`. */
const deputyField = (name: string, label: Bilingual, dateField: string, api: string[]): Field => actorField(name, label, dateField, api, DEPUTY_SEAT);

const dateField = (name: string, label: Bilingual = L.date, extra: Partial<Extract<Field, { kind: 'date' }>> = {}): Field => ({
  kind: 'date',
  name,
  label,
  required: true,
  notFuture: true,
  defaultToday: true,
  ...extra,
});

const stationField: Field = { kind: 'station', name: 'stationId', label: L.station, required: true };

/** A deadline not before the date of `after` (its label names that date in the message). */
const deadlineField = (name: string, after: string, afterLabel: Bilingual, label: Bilingual = L.deadline): Field => ({
  kind: 'date',
  name,
  label,
  required: true,
  notBefore: { field: after, label: afterLabel },
});

/** Why, in words that will stand in the record (the API's `reason`: at most 1000 characters). */
const reasonField = (label: Bilingual = L.reason, required = true): Field => ({ kind: 'textarea', name: 'reason', label, required, maxLength: 1000 });

/** Words a page put beside a context value (e.g. `activityLabel`: the activity as the page showed it). */
const wordsOf = (values: Values, name: string): Bilingual | null => {
  const text = textOf(values, name);
  return text ? { zh: text, en: text } : null;
};

/** The suggestion a handling form acts on: opened from the suggestion in its lead deputy's record. */
const suggestionIdField: Field = {
  kind: 'context',
  name: 'suggestionId',
  label: { zh: '建议、议案', en: 'Suggestion or motion' },
  required: true,
  display: (values) => wordsOf(values, 'suggestionLabel'),
  missing: {
    zh: '请从领衔代表的履职记录中找到该建议，点“办理”从那里进入。',
    en: 'Open it from the suggestion in its lead deputy’s record (“Handle”).',
  },
};

/** The activity an attendance form acts on: opened from the activity where it is shown. */
const activityField: Field = {
  kind: 'context',
  name: 'activityId',
  label: { zh: '活动', en: 'Activity' },
  required: true,
  display: (values) => wordsOf(values, 'activityLabel'),
  missing: {
    zh: '请从活动所在处登记：培训页“近期培训”中的“登记出勤”，或人员履职记录中该活动一行的“登记出勤”。',
    en: 'Open it from the activity: “Attendance” on a training in the training page, or on the activity’s row in a person’s record.',
  },
};

const opinionFields: Field[] = [
  { kind: 'station', name: 'stationId', label: L.station, required: true, api: [] },
  { kind: 'opinion', name: 'opinionId', label: L.opinion, required: true, stationField: 'stationId' },
];

const option = (value: string, zh: string, en: string): Option => ({ value, label: { zh, en } });

export const ACTIVITY_KINDS: readonly Option[] = [
  option('INSPECTION', '视察', 'Inspection visit'),
  option('RESEARCH', '调研', 'Research visit'),
  option('LAW_ENFORCEMENT_INSPECTION', '执法检查', 'Law-enforcement inspection'),
  option('SPECIAL_INQUIRY', '专题询问', 'Special inquiry'),
  option('REPORT_DELIBERATION', '报告审议', 'Report deliberation'),
  option('COMMITTEE_MEETING', '常委会会议', 'Standing-committee meeting'),
  option('CONSULTATION_MEETING', '县委、县政府意见征求会', 'County consultation meeting'),
];

const SUPERVISION_FORMS: readonly Option[] = ACTIVITY_KINDS.slice(0, 5);

const SATISFACTION: readonly Option[] = [
  option('SATISFIED', '满意', 'Satisfied'),
  option('BASICALLY_SATISFIED', '基本满意', 'Basically satisfied'),
  option('DISSATISFIED', '不满意', 'Dissatisfied'),
];

/** The label of the option a select field holds (empty when none). */
const optionLabel = (options: readonly Option[], values: Values, name: string): Bilingual | string =>
  options.find((item) => item.value === textOf(values, name))?.label ?? '';
const kindLabel = (value: string | null): Bilingual => ACTIVITY_KINDS.find((kind) => kind.value === value)?.label ?? { zh: '活动', en: 'activity' };
const str = (values: Values, name: string) => textOf(values, name) ?? '';
const personName = (values: Values, name: string) => personOf(values, name)?.name ?? '';

/** A person's id and seat under the API's names (`personId`/`mandateId` unless told). */
function personInput(person: PersonChoice | null, personKey = 'personId', mandateKey: string | null = 'mandateId'): Record<string, unknown> {
  return mandateKey ? { [personKey]: person?.id, [mandateKey]: person?.mandateId } : { [personKey]: person?.id };
}

// ---------------------------------------------------------------------------------------------
// The forms

/** 组织活动并登记参加人员: OrganiseActivityWithParticipants — the activity and everyone on it in one append. */
export const organiseActivity: FormSpec = {
  id: 'organise-activity',
  title: { zh: '组织活动并登记参加人员', en: 'Organise an activity and record who took part' },
  description: {
    zh: '视察、调研、执法检查、专题询问、报告审议或会议：活动和全部参加人员一次提交，每人一条参加记录（计入人次）；任何一人有误则全部不登记。',
    en: 'An inspection, research visit, law-enforcement inspection, special inquiry, report deliberation or meeting: the activity and every participant in one submit, one person-time each; if any is refused nothing is recorded.',
  },
  roles: STAFF,
  fields: [
    { kind: 'select', name: 'kind', label: { zh: '活动类别', en: 'Kind' }, required: true, options: ACTIVITY_KINDS, defaultValue: 'INSPECTION' },
    { kind: 'text', name: 'title', label: { zh: '活动名称', en: 'Title' }, required: true, maxLength: 200 },
    dateField('date', { zh: '活动日期', en: 'Date' }),
    { kind: 'text', name: 'organiser', label: { zh: '组织单位', en: 'Organiser' }, required: true, maxLength: 200 },
    {
      kind: 'text',
      name: 'township',
      label: { zh: '乡镇（街道）', en: 'Township' },
      maxLength: 100,
      hint: { zh: '在某一乡镇开展时填写', en: 'When held in one township' },
    },
    {
      kind: 'checkboxes',
      name: 'forms',
      label: { zh: '监督形式（可组合，如“视察+询问”）', en: 'Supervision forms (may be combined)' },
      options: SUPERVISION_FORMS,
      maxItems: 5,
      hint: { zh: '不选时，监督活动按其类别计', en: 'None chosen: a supervision activity counts as its own kind' },
    },
    {
      kind: 'people',
      name: 'participants',
      label: { zh: '参加人员', en: 'Participants' },
      minItems: 0,
      maxItems: 100,
      mandate: { dateField: 'date' },
      hint: { zh: '按姓名搜索添加；每人按其在活动日期在任的职务登记', en: 'Search by name to add; each is recorded in the seat they held on the day' },
    },
  ],
  plan(values, ids) {
    const forms = listOf(values, 'forms');
    const kind = kindLabel(textOf(values, 'kind'));
    const participants = peopleOf(values, 'participants');
    return [
      {
        mutation: 'organiseActivityWithParticipants',
        input: compact({
          activityId: ids('activityId'),
          kind: textOf(values, 'kind'),
          title: textOf(values, 'title'),
          date: textOf(values, 'date'),
          organiser: textOf(values, 'organiser'),
          township: textOf(values, 'township'),
          forms: forms.length > 0 ? forms : undefined,
          participants: participants.map((person) => ({ recordId: ids(`participation:${person.id}`), ...personInput(person) })),
        }),
        fields: { participants: 'participants' },
        label: message(
          { zh: '登记{kind}「{title}」及参加人员 {count} 人', en: 'Record the {kind} “{title}” with {count} participant(s)' },
          { kind, title: str(values, 'title'), count: participants.length },
        ),
      },
    ];
  },
  confirm(values) {
    const participants = peopleOf(values, 'participants');
    return message(
      { zh: '{kind}「{title}」（{date}），参加人员 {count} 人{list}', en: '{kind} “{title}” ({date}), {count} participant(s){list}' },
      {
        kind: kindLabel(textOf(values, 'kind')),
        title: str(values, 'title'),
        date: str(values, 'date'),
        count: participants.length,
        list: participants.length ? { zh: `：${names(participants).zh}`, en: `: ${names(participants).en}` } : '',
      },
    );
  },
};

/** 登记参加活动: RecordParticipation for an activity already organised (a deputy declares their own). */
export const recordParticipation: FormSpec = {
  id: 'record-participation',
  declares: true,
  title: { zh: '登记参加活动', en: 'Record taking part in an activity' },
  description: {
    zh: '为已登记的活动补登一位参加人员；代表申报本人参加，待审核。',
    en: 'Add a participant to an activity already recorded; a deputy declares their own, pending review.',
  },
  roles: ACT_RECORDERS,
  fields: [activityField, actorField('person', { zh: '参加人员', en: 'Participant' }, undefined, ['personId', 'mandateId'])],
  plan: (values, ids) => [
    {
      mutation: 'recordParticipation',
      input: { activityId: textOf(values, 'activityId'), recordId: ids('recordId'), ...personInput(personOf(values, 'person')) },
    },
  ],
  confirm: (values) =>
    message(
      { zh: '{name} 参加{activity}', en: '{name} took part in {activity}' },
      { name: personName(values, 'person'), activity: str(values, 'activityLabel') },
    ),
};

/** 进站履职 (月进站): RecordStationVisit. */
export const stationVisit: FormSpec = {
  id: 'station-visit',
  declares: true,
  title: { zh: '进站履职', en: 'Station visit' },
  description: {
    zh: '代表到所在家站履职（“月进站”）；代表本人申报的待审核。',
    en: 'A deputy’s duty at their station (monthly); a deputy’s own declaration awaits review.',
  },
  roles: STATION_ACTS,
  fields: [
    deputyField('person', L.deputy, 'date', ['personId', 'mandateId']),
    stationField,
    dateField('date'),
    { kind: 'textarea', name: 'summary', label: L.summary, required: true, maxLength: 1000 },
  ],
  plan: (values, ids) => [
    {
      mutation: 'recordStationVisit',
      input: {
        recordId: ids('recordId'),
        stationId: textOf(values, 'stationId'),
        ...personInput(personOf(values, 'person')),
        date: textOf(values, 'date'),
        summary: textOf(values, 'summary'),
      },
    },
  ],
  confirm: (values) =>
    message({ zh: '{name} {date} 进站履职', en: '{name}’s station visit on {date}' }, { name: personName(values, 'person'), date: str(values, 'date') }),
};

/** 接待选民: RecordVoterReception, one attendance record per deputy present. */
export const voterReception: FormSpec = {
  id: 'voter-reception',
  declares: true,
  title: { zh: '接待选民', en: 'Voter reception' },
  description: {
    zh: '在家站接待选民：每位在场代表各记一人次，第一位为主持代表。',
    en: 'Receiving voters at a station: one person-time per deputy present; the first led it.',
  },
  roles: STATION_ACTS,
  fields: [
    stationField,
    dateField('date'),
    {
      kind: 'people',
      name: 'deputies',
      label: { zh: '接待代表（第一位主持）', en: 'Deputies (the first led it)' },
      required: true,
      minItems: 1,
      maxItems: 50,
      mandate: { kinds: DEPUTY_SEAT, dateField: 'date' },
      check: ownActs,
    },
    { kind: 'int', name: 'votersReceived', label: { zh: '接待选民人数', en: 'Voters received' }, required: true, min: 0 },
    { kind: 'lines', name: 'topics', label: { zh: '议题（每行一个）', en: 'Topics (one a line)' }, maxItems: 50, maxLength: 200 },
  ],
  plan: (values, ids) => [
    {
      mutation: 'recordVoterReception',
      input: {
        stationId: textOf(values, 'stationId'),
        receptionId: ids('receptionId'),
        date: textOf(values, 'date'),
        votersReceived: intOf(values, 'votersReceived'),
        topics: linesOf(values.topics ?? null),
        deputies: peopleOf(values, 'deputies').map((person) => ({ recordId: ids(`reception:${person.id}`), personId: person.id, mandateId: person.mandateId })),
      },
    },
  ],
  confirm: (values) =>
    message(
      { zh: '{date} 接待选民 {voters} 人，接待代表：{names}', en: 'Voter reception on {date}: {voters} voters, deputies {names}' },
      { date: str(values, 'date'), voters: str(values, 'votersReceived'), names: names(peopleOf(values, 'deputies')) },
    ),
};

/** 意见登记: RegisterOpinion (the voter's details are personal data, never public). */
export const registerOpinion: FormSpec = {
  id: 'register-opinion',
  title: { zh: '登记选民意见', en: 'Register a voter’s opinion' },
  description: {
    zh: '代表在家站收到的选民意见建议。选民个人信息不公开。',
    en: 'An opinion a deputy received at a station. The voter’s details are never public.',
  },
  roles: ['deputy', 'station-manager', 'staff', 'admin'],
  fields: [
    stationField,
    {
      kind: 'person',
      name: 'receivedBy',
      label: { zh: '接收代表', en: 'Received by' },
      required: true,
      selfWhenDeclaring: true,
      api: ['receivedByPersonId'],
      check: ownActs,
    },
    dateField('registeredOn', { zh: '登记日期', en: 'Registered on' }),
    { kind: 'text', name: 'category', label: { zh: '类别（如 道路交通）', en: 'Category (e.g. roads)' }, required: true, maxLength: 50 },
    { kind: 'textarea', name: 'content', label: { zh: '意见内容', en: 'The opinion' }, required: true, maxLength: 4000 },
    deadlineField('deadline', 'registeredOn', { zh: '登记日期', en: 'the registration date' }, { zh: '办理期限', en: 'Deadline' }),
    { kind: 'text', name: 'voterName', label: { zh: '选民姓名', en: 'Voter’s name' }, required: true, maxLength: 100, api: ['voter.name', 'voter'] },
    { kind: 'text', name: 'voterPhone', label: { zh: '选民电话', en: 'Voter’s phone' }, maxLength: 50, api: ['voter.phone'] },
    { kind: 'text', name: 'voterAddress', label: { zh: '选民地址', en: 'Voter’s address' }, maxLength: 200, api: ['voter.address'] },
    {
      kind: 'context',
      name: 'receptionId',
      label: { zh: '接待选民', en: 'Voter reception' },
      display: (values) => {
        const on = textOf(values, 'receptionOn');
        return on ? { zh: `${on} 的接待选民活动中收到`, en: `Received at the voter reception of ${on}` } : null;
      },
      missing: {
        zh: '不是在接待活动中收到的可不填；接待中收到的，请在家站接待选民簿该次接待一行点“登记意见”。',
        en: 'Leave it if it was not raised at a reception; otherwise use “Register an opinion” on the reception’s row in the station’s reception book.',
      },
    },
  ],
  plan: (values, ids) => [
    {
      mutation: 'registerOpinion',
      input: {
        opinionId: ids('opinionId'),
        stationId: textOf(values, 'stationId'),
        receivedByPersonId: personOf(values, 'receivedBy')?.id,
        receptionId: textOf(values, 'receptionId'),
        registeredOn: textOf(values, 'registeredOn'),
        category: textOf(values, 'category'),
        content: textOf(values, 'content'),
        deadline: textOf(values, 'deadline'),
        voter: { name: textOf(values, 'voterName'), phone: textOf(values, 'voterPhone'), address: textOf(values, 'voterAddress') },
      },
    },
  ],
  confirm: (values) =>
    message(
      { zh: '{date} 登记意见（{category}），期限 {deadline}', en: 'Opinion ({category}) registered on {date}, due {deadline}' },
      { date: str(values, 'registeredOn'), category: str(values, 'category'), deadline: str(values, 'deadline') },
    ),
};

/** 交办: ReferOpinion. */
export const referOpinion: FormSpec = {
  id: 'refer-opinion',
  title: { zh: '意见交办', en: 'Refer an opinion' },
  description: {
    zh: '把意见交给承办单位办理（答复前可改交其他单位）。',
    en: 'Refer an opinion to the agency that handles it (or to another, before it is answered).',
  },
  roles: OPINION_HANDLERS,
  fields: [
    ...opinionFields,
    { kind: 'text', name: 'agency', label: { zh: '承办单位', en: 'Agency' }, required: true, maxLength: 200 },
    dateField('referredOn', { zh: '交办日期', en: 'Referred on' }),
    deadlineField('deadline', 'referredOn', { zh: '交办日期', en: 'the referral date' }),
  ],
  plan: (values) => [
    {
      mutation: 'referOpinion',
      input: {
        opinionId: textOf(values, 'opinionId'),
        agency: textOf(values, 'agency'),
        referredOn: textOf(values, 'referredOn'),
        deadline: textOf(values, 'deadline'),
      },
    },
  ],
  confirm: (values) =>
    message(
      { zh: '意见交办{agency}，期限 {deadline}', en: 'Opinion referred to {agency}, due {deadline}' },
      { agency: str(values, 'agency'), deadline: str(values, 'deadline') },
    ),
};

/** 答复: AnswerOpinion. */
export const answerOpinion: FormSpec = {
  id: 'answer-opinion',
  title: { zh: '意见答复', en: 'Answer an opinion' },
  description: { zh: '承办单位的答复，或未交办时的当场答复。', en: 'The agency’s answer, or one given on the spot if it was never referred.' },
  roles: OPINION_HANDLERS,
  fields: [
    ...opinionFields,
    { kind: 'textarea', name: 'answer', label: { zh: '答复内容', en: 'Answer' }, required: true, maxLength: 4000 },
    dateField('answeredOn', { zh: '答复日期', en: 'Answered on' }),
  ],
  plan: (values) => [
    {
      mutation: 'answerOpinion',
      input: { opinionId: textOf(values, 'opinionId'), answer: textOf(values, 'answer'), answeredOn: textOf(values, 'answeredOn') },
    },
  ],
  confirm: (values) => message({ zh: '意见已于 {date} 答复', en: 'Opinion answered on {date}' }, { date: str(values, 'answeredOn') }),
};

/** 办结: CloseOpinion with the voter's rating. */
export const closeOpinion: FormSpec = {
  id: 'close-opinion',
  title: { zh: '意见办结', en: 'Close an opinion' },
  description: { zh: '已答复的意见办结，记录选民满意度。', en: 'Close an answered opinion with the voter’s rating.' },
  roles: OPINION_HANDLERS,
  fields: [
    ...opinionFields,
    dateField('closedOn', { zh: '办结日期', en: 'Closed on' }),
    { kind: 'select', name: 'satisfaction', label: { zh: '选民满意度', en: 'Voter’s rating' }, required: true, options: SATISFACTION },
    { kind: 'textarea', name: 'note', label: { zh: '备注', en: 'Note' }, maxLength: 1000 },
  ],
  plan: (values) => [
    {
      mutation: 'closeOpinion',
      input: {
        opinionId: textOf(values, 'opinionId'),
        closedOn: textOf(values, 'closedOn'),
        satisfaction: textOf(values, 'satisfaction'),
        note: textOf(values, 'note'),
      },
    },
  ],
  confirm: (values) =>
    message(
      { zh: '意见于 {date} 办结（{rating}）', en: 'Opinion closed on {date} ({rating})' },
      { date: str(values, 'closedOn'), rating: optionLabel(SATISFACTION, values, 'satisfaction') },
    ),
};

const SUGGESTION_KINDS: readonly Option[] = [option('SUGGESTION', '建议', 'Suggestion'), option('MOTION', '议案', 'Motion')];
const suggestionKind = (values: Values) => SUGGESTION_KINDS.find((item) => item.value === textOf(values, 'kind'))?.label ?? SUGGESTION_KINDS[0]!.label;
const coSignersOf = (values: Values) => peopleOf(values, 'coSigners').map((person) => ({ personId: person.id, mandateId: person.mandateId }));
const coSignersField: Field = {
  kind: 'people',
  name: 'coSigners',
  label: { zh: '附议代表', en: 'Co-signing deputies' },
  minItems: 0,
  maxItems: 200,
  mandate: { kinds: DEPUTY_SEAT, dateField: 'submittedOn' },
  when: (values) => values.submitNow === 'true',
};

/** 建议、议案: DraftSuggestion, and SubmitSuggestion when submitted at once. */
export const suggestion: FormSpec = {
  id: 'suggestion',
  title: { zh: '建议、议案', en: 'Suggestion or motion' },
  description: { zh: '代表领衔起草建议或议案；提出（提交）后计入履职。', en: 'A deputy drafts a suggestion or motion; submitting it is the act that counts.' },
  roles: SUGGESTION_WRITERS,
  fields: [
    { kind: 'select', name: 'kind', label: { zh: '类别', en: 'Kind' }, required: true, options: SUGGESTION_KINDS, defaultValue: 'SUGGESTION' },
    deputyField('lead', { zh: '领衔代表', en: 'Lead deputy' }, 'draftedOn', ['leadPersonId', 'leadMandateId']),
    { kind: 'text', name: 'title', label: { zh: '标题', en: 'Title' }, required: true, maxLength: 200 },
    { kind: 'textarea', name: 'content', label: { zh: '内容', en: 'Content' }, required: true, maxLength: 20000 },
    dateField('draftedOn', { zh: '起草日期', en: 'Drafted on' }),
    { kind: 'checkbox', name: 'submitNow', label: { zh: '同时提出（提交）', en: 'Submit it now' } },
    {
      ...dateField(
        'submittedOn',
        { zh: '提出日期', en: 'Submitted on' },
        { notBefore: { field: 'draftedOn', label: { zh: '起草日期', en: 'the drafting date' } } },
      ),
      when: (values) => values.submitNow === 'true',
    },
    coSignersField,
  ],
  plan(values, ids) {
    const suggestionId = ids('suggestionId');
    const plans: CommandPlan[] = [
      {
        mutation: 'draftSuggestion',
        input: {
          suggestionId,
          kind: textOf(values, 'kind'),
          title: textOf(values, 'title'),
          content: textOf(values, 'content'),
          draftedOn: textOf(values, 'draftedOn'),
          ...personInput(personOf(values, 'lead'), 'leadPersonId', 'leadMandateId'),
        },
        label: message({ zh: '起草{kind}', en: 'Draft the {kind}' }, { kind: suggestionKind(values) }),
      },
    ];
    if (values.submitNow === 'true') {
      plans.push({
        mutation: 'submitSuggestion',
        input: {
          suggestionId,
          recordId: ids('recordId'),
          submittedOn: textOf(values, 'submittedOn'),
          coSigners: coSignersOf(values),
        },
        label: message({ zh: '提出{kind}', en: 'Submit the {kind}' }, { kind: suggestionKind(values) }),
      });
    }
    return plans;
  },
  confirm: (values) =>
    message(
      values.submitNow === 'true'
        ? { zh: '{kind}「{title}」已起草并提出', en: '{kind} “{title}” drafted and submitted' }
        : { zh: '{kind}「{title}」已起草', en: '{kind} “{title}” drafted' },
      {
        kind: suggestionKind(values),
        title: str(values, 'title'),
      },
    ),
};

/** 提出已起草的建议: SubmitSuggestion by the suggestion's id. */
export const submitSuggestion: FormSpec = {
  id: 'submit-suggestion',
  title: { zh: '提出已起草的建议、议案', en: 'Submit a drafted suggestion or motion' },
  description: { zh: '按建议编号提出此前起草的建议或议案。', en: 'Submit a suggestion or motion drafted earlier, by its id.' },
  roles: SUGGESTION_WRITERS,
  fields: [suggestionIdField, dateField('submittedOn', { zh: '提出日期', en: 'Submitted on' }), { ...coSignersField, when: undefined }],
  plan: (values, ids) => [
    {
      mutation: 'submitSuggestion',
      input: {
        suggestionId: textOf(values, 'suggestionId'),
        recordId: ids('recordId'),
        submittedOn: textOf(values, 'submittedOn'),
        coSigners: coSignersOf(values),
      },
    },
  ],
  confirm: (values) =>
    message(
      { zh: '建议 {id} 已于 {date} 提出', en: 'Suggestion {id} submitted on {date}' },
      { id: str(values, 'suggestionId'), date: str(values, 'submittedOn') },
    ),
};

/** 年述职: DeliverDutyReport. */
export const dutyReport: FormSpec = {
  id: 'duty-report',
  declares: true,
  title: { zh: '向选民述职', en: 'Duty report to voters' },
  description: { zh: '代表向原选区选民报告年度履职情况（“年述职”）。', en: 'A deputy’s annual report of their duty to the voters.' },
  roles: ['deputy', 'station-manager', 'staff', 'admin'],
  fields: [
    deputyField('person', L.deputy, 'date', ['personId', 'mandateId']),
    {
      kind: 'int',
      name: 'year',
      label: { zh: '述职年度', en: 'Year reported on' },
      required: true,
      min: 2000,
      max: 2100,
      defaultValue: new Date().getFullYear(),
    },
    dateField('date', { zh: '述职日期', en: 'Date' }),
    { kind: 'int', name: 'audienceSize', label: { zh: '参加选民人数', en: 'Audience' }, required: true, min: 0 },
    { kind: 'textarea', name: 'summary', label: { zh: '述职内容', en: 'Summary' }, required: true, maxLength: 4000 },
    { kind: 'text', name: 'venue', label: { zh: '地点', en: 'Venue' }, maxLength: 200 },
    { kind: 'station', name: 'stationId', label: { zh: '在家站述职时选择家站', en: 'Station (if held at one)' } },
  ],
  plan: (values, ids) => [
    {
      mutation: 'deliverDutyReport',
      input: {
        recordId: ids('recordId'),
        ...personInput(personOf(values, 'person')),
        year: intOf(values, 'year'),
        date: textOf(values, 'date'),
        audienceSize: intOf(values, 'audienceSize'),
        summary: textOf(values, 'summary'),
        venue: textOf(values, 'venue'),
        stationId: textOf(values, 'stationId'),
      },
    },
  ],
  confirm: (values) =>
    message(
      { zh: '{name} {year} 年度述职（{date}）', en: '{name}’s duty report for {year} ({date})' },
      { name: personName(values, 'person'), year: str(values, 'year'), date: str(values, 'date') },
    ),
};

/** 回家履职 (季回家): RecordHomeVisit. */
export const homeVisit: FormSpec = {
  id: 'home-visit',
  declares: true,
  title: { zh: '回选区履职', en: 'Home visit' },
  description: { zh: '代表回原选区联系选民（“季回家”）。', en: 'A deputy’s return to their electoral district (quarterly).' },
  roles: STATION_ACTS,
  fields: [
    deputyField('person', L.deputy, 'date', ['personId', 'mandateId']),
    dateField('date'),
    { kind: 'text', name: 'place', label: { zh: '地点（村、社区或单位）', en: 'Place' }, required: true, maxLength: 200 },
    { kind: 'text', name: 'visited', label: { zh: '走访对象（概括，如“村民代表 12 人”）', en: 'Whom (in general terms)' }, required: true, maxLength: 200 },
    { kind: 'textarea', name: 'summary', label: L.summary, required: true, maxLength: 1000 },
  ],
  plan: (values, ids) => [
    {
      mutation: 'recordHomeVisit',
      input: {
        recordId: ids('recordId'),
        ...personInput(personOf(values, 'person')),
        date: textOf(values, 'date'),
        place: textOf(values, 'place'),
        visited: textOf(values, 'visited'),
        summary: textOf(values, 'summary'),
      },
    },
  ],
  confirm: (values) =>
    message(
      { zh: '{name} {date} 回选区履职（{place}）', en: '{name}’s home visit on {date} ({place})' },
      { name: personName(values, 'person'), date: str(values, 'date'), place: str(values, 'place') },
    ),
};

/**
 * 更正、撤销: the page finds the record (a person, a seat, the record) and corrects or retracts it
 * on its row ($lib/records/RecordActions.svelte), as a person's history and a station book do; this
 * description only gives it a place in the menu (it has no fields of its own).
 */
export const correctRecord: FormSpec = {
  id: 'correct-record',
  title: { zh: '更正或撤销记录', en: 'Correct or retract a record' },
  description: {
    zh: '找到有误的记录，在该记录上更正（修改有误的内容）或撤销（误登），都须写明理由；原记录仍保留在日志中。',
    en: 'Find the wrong record and correct or retract it there, with a reason; the original stays in the log.',
  },
  roles: STAFF,
  fields: [],
  plan: () => [],
  confirm: () => ({ zh: '', en: '' }),
};

// ---------------------------------------------------------------------------------------------
// Absences, practical help and pairing

const ABSENCE_ACTS: readonly Option[] = [option('ABSENCE_WITH_LEAVE', '请假', 'With leave'), option('ABSENCE_WITHOUT_LEAVE', '无故缺席', 'Without leave')];

/** 缺席: RecordAbsence (recorded by those whose records count at once; never declared). */
export const recordAbsence: FormSpec = {
  id: 'record-absence',
  title: { zh: '登记缺席', en: 'Record an absence' },
  description: {
    zh: '应参加已登记活动的人员缺席：请假或无故缺席，评分规则可能据此扣分。',
    en: 'Someone expected at an activity already recorded was absent, with leave or without; scoring rules may deduct for it.',
  },
  roles: RECORDERS,
  fields: [
    activityField,
    { kind: 'person', name: 'person', label: { zh: '缺席人员', en: 'Absent' }, required: true, mandate: {}, api: ['personId', 'mandateId'] },
    { kind: 'select', name: 'act', label: { zh: '缺席类别', en: 'Kind' }, required: true, options: ABSENCE_ACTS, defaultValue: 'ABSENCE_WITH_LEAVE' },
    reasonField({ zh: '请假事由（如有）', en: 'Reason given (if any)' }, false),
  ],
  plan: (values, ids) => [
    {
      mutation: 'recordAbsence',
      input: {
        activityId: textOf(values, 'activityId'),
        recordId: ids('recordId'),
        ...personInput(personOf(values, 'person')),
        act: textOf(values, 'act'),
        reason: textOf(values, 'reason'),
      },
    },
  ],
  confirm: (values) =>
    message(
      { zh: '{name} 缺席{activity}（{kind}）', en: '{name} absent from {activity} ({kind})' },
      { name: personName(values, 'person'), activity: str(values, 'activityLabel'), kind: optionLabel(ABSENCE_ACTS, values, 'act') },
    ),
};

const HELP_ACTS: readonly Option[] = [
  option('POLICY_PUBLICITY', '政策宣传', 'Policy publicity'),
  option('LEGAL_ADVICE', '法律咨询', 'Legal advice'),
  option('DISPUTE_MEDIATION', '矛盾调解', 'Dispute mediation'),
];

/** 我为群众办实事: RecordPracticalHelp (a deputy declares their own). */
export const practicalHelp: FormSpec = {
  id: 'practical-help',
  declares: true,
  title: { zh: '为群众办实事', en: 'Practical help for the people' },
  description: {
    zh: '政策宣传、法律咨询或矛盾调解（“我为群众办实事”）；不登记受助群众的个人信息。代表本人申报的待审核。',
    en: 'Policy publicity, legal advice or dispute mediation; no personal data of the people helped. A deputy’s own declaration awaits review.',
  },
  roles: ACT_RECORDERS,
  fields: [
    { kind: 'select', name: 'act', label: { zh: '办实事类别', en: 'Kind of help' }, required: true, options: HELP_ACTS, defaultValue: 'POLICY_PUBLICITY' },
    actorField('person', { zh: '办理人员', en: 'Who helped' }, 'date', ['personId', 'mandateId']),
    dateField('date'),
    { kind: 'textarea', name: 'summary', label: { zh: '办理情况（不含个人信息）', en: 'What was done (no personal data)' }, required: true, maxLength: 2000 },
    { kind: 'int', name: 'beneficiaries', label: { zh: '受益群众人数', en: 'People helped' }, required: true, min: 1 },
    { kind: 'text', name: 'township', label: { zh: '乡镇（街道）', en: 'Township' }, maxLength: 100, hint: { zh: '知道时填写', en: 'If known' } },
  ],
  plan: (values, ids) => [
    {
      mutation: 'recordPracticalHelp',
      input: {
        recordId: ids('recordId'),
        act: textOf(values, 'act'),
        ...personInput(personOf(values, 'person')),
        date: textOf(values, 'date'),
        summary: textOf(values, 'summary'),
        beneficiaries: intOf(values, 'beneficiaries'),
        township: textOf(values, 'township'),
      },
    },
  ],
  confirm: (values) =>
    message(
      { zh: '{name} {date} {kind}，受益 {count} 人', en: '{name}: {kind} on {date}, {count} helped' },
      { name: personName(values, 'person'), date: str(values, 'date'), kind: optionLabel(HELP_ACTS, values, 'act'), count: str(values, 'beneficiaries') },
    ),
};

/** 结队帮带活动: RecordPairingActivity, for the mentor or a mentee (a deputy declares their own part). */
export const pairingActivity: FormSpec = {
  id: 'pairing-activity',
  declares: true,
  title: { zh: '结队帮带活动', en: 'Pairing activity' },
  description: {
    zh: '已结对的帮带人或被帮带代表参加了一次帮带活动：每人一条记录。代表本人申报的待审核。',
    en: 'The mentor or a mentee of a pairing took part in a pairing activity: one record per person. A deputy’s own declaration awaits review.',
  },
  roles: ACT_RECORDERS,
  fields: [
    {
      kind: 'context',
      name: 'pairingId',
      label: { zh: '结对', en: 'Pairing' },
      required: true,
      display: (values) => wordsOf(values, 'pairingLabel'),
      missing: {
        zh: '请从帮带人或被帮带代表的履职记录中该结对的帮带活动一行点“再登记一次活动”进入。',
        en: 'Open it from a pairing activity of the pairing in the mentor’s or a mentee’s record (“Record another”).',
      },
    },
    actorField('person', { zh: '参加人员（帮带人或被帮带代表）', en: 'Who took part (mentor or mentee)' }, 'date', ['personId', 'mandateId']),
    dateField('date'),
    { kind: 'textarea', name: 'description', label: { zh: '活动内容', en: 'What was done' }, required: true, maxLength: 2000 },
    {
      kind: 'people',
      name: 'mentees',
      label: { zh: '涉及的被帮带代表', en: 'Mentees involved' },
      minItems: 0,
      maxItems: 50,
      api: ['menteePersonIds'],
      hint: { zh: '按姓名搜索添加', en: 'Search by name to add' },
    },
  ],
  plan: (values, ids) => [
    {
      mutation: 'recordPairingActivity',
      input: {
        pairingId: textOf(values, 'pairingId'),
        recordId: ids('recordId'),
        ...personInput(personOf(values, 'person')),
        date: textOf(values, 'date'),
        description: textOf(values, 'description'),
        menteePersonIds: peopleOf(values, 'mentees').map((person) => person.id),
      },
    },
  ],
  confirm: (values) =>
    message(
      { zh: '{name} {date} 参加结队帮带活动', en: '{name} took part in a pairing activity on {date}' },
      { name: personName(values, 'person'), date: str(values, 'date') },
    ),
};

// ---------------------------------------------------------------------------------------------
// Ratings, reopening, handling suggestions and retracting

const DUTY_RATINGS: readonly Option[] = [
  option('COMPETENT', '称职', 'Competent'),
  option('BASICALLY_COMPETENT', '基本称职', 'Basically competent'),
  option('INCOMPETENT', '不称职', 'Incompetent'),
];
const votes = (name: string, zh: string, en: string): Field => ({
  kind: 'int',
  name,
  label: { zh: `${zh}票数`, en: `Votes “${en}”` },
  required: true,
  min: 0,
  api: [`votes.${name}`],
});

/** 述职评议: RateDutyReport, the voters' rating of a deputy's duty report for a year. */
export const rateDutyReport: FormSpec = {
  id: 'rate-duty-report',
  title: { zh: '述职评议', en: 'Rate a duty report' },
  description: {
    zh: '选民对代表年度述职的评议结果（称职、基本称职、不称职）及票数。',
    en: 'How the voters rated a deputy’s duty report for a year, with the votes.',
  },
  roles: DUTY_REPORT_RATERS,
  fields: [
    { kind: 'person', name: 'person', label: L.deputy, required: true, api: ['personId'] },
    {
      kind: 'int',
      name: 'year',
      label: { zh: '述职年度', en: 'Year reported on' },
      required: true,
      min: 2000,
      max: 2100,
      defaultValue: new Date().getFullYear() - 1,
    },
    dateField('ratedOn', { zh: '评议日期', en: 'Rated on' }),
    { kind: 'select', name: 'votersRating', label: { zh: '评议结果', en: 'Rating' }, required: true, options: DUTY_RATINGS },
    votes('competent', '称职', 'competent'),
    votes('basicallyCompetent', '基本称职', 'basically competent'),
    votes('incompetent', '不称职', 'incompetent'),
  ],
  plan: (values) => [
    {
      mutation: 'rateDutyReport',
      input: {
        personId: personOf(values, 'person')?.id,
        year: intOf(values, 'year'),
        ratedOn: textOf(values, 'ratedOn'),
        votersRating: textOf(values, 'votersRating'),
        votes: { competent: intOf(values, 'competent'), basicallyCompetent: intOf(values, 'basicallyCompetent'), incompetent: intOf(values, 'incompetent') },
      },
    },
  ],
  confirm: (values) =>
    message(
      { zh: '{name} {year} 年度述职评议：{rating}', en: '{name}’s duty report for {year} rated: {rating}' },
      {
        name: personName(values, 'person'),
        year: str(values, 'year'),
        rating: optionLabel(DUTY_RATINGS, values, 'votersRating'),
      },
    ),
};

/** 重新办理: ReopenOpinion, when the voter was dissatisfied. */
export const reopenOpinion: FormSpec = {
  id: 'reopen-opinion',
  title: { zh: '意见重新办理', en: 'Reopen an opinion' },
  description: { zh: '选民对办理结果不满意的意见，重新办理并定新的答复期限。', en: 'Reopen an opinion the voter was dissatisfied with, with a new deadline.' },
  roles: OPINION_HANDLERS,
  fields: [
    ...opinionFields,
    dateField('reopenedOn', { zh: '重新办理日期', en: 'Reopened on' }),
    deadlineField('deadline', 'reopenedOn', { zh: '重新办理日期', en: 'the reopening date' }),
    reasonField({ zh: '重新办理的理由', en: 'Why it is reopened' }),
  ],
  plan: (values) => [
    {
      mutation: 'reopenOpinion',
      input: {
        opinionId: textOf(values, 'opinionId'),
        reopenedOn: textOf(values, 'reopenedOn'),
        deadline: textOf(values, 'deadline'),
        reason: textOf(values, 'reason'),
      },
    },
  ],
  confirm: (values) =>
    message(
      { zh: '意见于 {date} 重新办理，期限 {deadline}', en: 'Opinion reopened on {date}, due {deadline}' },
      { date: str(values, 'reopenedOn'), deadline: str(values, 'deadline') },
    ),
};

/** 交办: AssignSuggestion. */
export const assignSuggestion: FormSpec = {
  id: 'assign-suggestion',
  title: { zh: '建议交办', en: 'Assign a suggestion' },
  description: {
    zh: '把已提出的建议或议案交承办单位办理，并定答复期限。',
    en: 'Assign a submitted suggestion or motion to the agency that handles it, with a deadline.',
  },
  roles: STAFF,
  fields: [
    suggestionIdField,
    { kind: 'text', name: 'agency', label: { zh: '承办单位', en: 'Agency' }, required: true, maxLength: 200 },
    dateField('assignedOn', { zh: '交办日期', en: 'Assigned on' }),
    deadlineField('deadline', 'assignedOn', { zh: '交办日期', en: 'the assignment date' }, { zh: '办理时限', en: 'Deadline' }),
  ],
  plan: (values) => [
    {
      mutation: 'assignSuggestion',
      input: {
        suggestionId: textOf(values, 'suggestionId'),
        agency: textOf(values, 'agency'),
        assignedOn: textOf(values, 'assignedOn'),
        deadline: textOf(values, 'deadline'),
      },
    },
  ],
  confirm: (values) =>
    message(
      { zh: '建议交{agency}办理，期限 {deadline}', en: 'Suggestion assigned to {agency}, due {deadline}' },
      { agency: str(values, 'agency'), deadline: str(values, 'deadline') },
    ),
};

const OUTCOMES: readonly Option[] = [
  option('ADOPTED', 'A类（已解决或采纳）', 'A: solved or adopted'),
  option('PARTLY_ADOPTED', 'B类（正在解决或列入计划）', 'B: being solved or planned'),
  option('EXPLAINED', 'C类（留作参考、解释说明）', 'C: kept for reference, explained'),
];

/** 办理答复: AnswerSuggestion, classed A/B/C. */
export const answerSuggestion: FormSpec = {
  id: 'answer-suggestion',
  title: { zh: '建议办理答复', en: 'Answer a suggestion' },
  description: {
    zh: '承办单位对已交办建议的答复，按办理结果分为 A、B、C 类。',
    en: 'The agency’s answer to an assigned suggestion, classed A, B or C by outcome.',
  },
  roles: STAFF,
  fields: [
    suggestionIdField,
    { kind: 'select', name: 'outcome', label: { zh: '办理结果', en: 'Outcome' }, required: true, options: OUTCOMES },
    { kind: 'textarea', name: 'answer', label: { zh: '答复意见', en: 'Answer' }, required: true, maxLength: 20000 },
    dateField('answeredOn', { zh: '答复日期', en: 'Answered on' }),
  ],
  plan: (values) => [
    {
      mutation: 'answerSuggestion',
      input: {
        suggestionId: textOf(values, 'suggestionId'),
        outcome: textOf(values, 'outcome'),
        answer: textOf(values, 'answer'),
        answeredOn: textOf(values, 'answeredOn'),
      },
    },
  ],
  confirm: (values) =>
    message(
      { zh: '建议已于 {date} 答复（{outcome}）', en: 'Suggestion answered on {date} ({outcome})' },
      { date: str(values, 'answeredOn'), outcome: optionLabel(OUTCOMES, values, 'outcome') },
    ),
};

/** 代表评价: RateSuggestion, by the lead deputy (or staff on their behalf). */
export const rateSuggestion: FormSpec = {
  id: 'rate-suggestion',
  title: { zh: '评价建议办理', en: 'Rate a suggestion’s answer' },
  description: {
    zh: '领衔代表对建议办理答复的评价（满意、基本满意、不满意）；工作人员可代为登记。',
    en: 'The lead deputy’s rating of the answer; staff may enter it on their behalf.',
  },
  roles: SUGGESTION_WRITERS,
  fields: [
    suggestionIdField,
    dateField('ratedOn', { zh: '评价日期', en: 'Rated on' }),
    { kind: 'select', name: 'rating', label: { zh: '评价', en: 'Rating' }, required: true, options: SATISFACTION },
  ],
  plan: (values) => [
    {
      mutation: 'rateSuggestion',
      input: { suggestionId: textOf(values, 'suggestionId'), ratedOn: textOf(values, 'ratedOn'), rating: textOf(values, 'rating') },
    },
  ],
  confirm: (values) =>
    message({ zh: '建议办理评价：{rating}', en: 'Suggestion’s answer rated: {rating}' }, { rating: optionLabel(SATISFACTION, values, 'rating') }),
};

/** 撤回: WithdrawSuggestion, before it is answered (its submission no longer counts). */
export const withdrawSuggestion: FormSpec = {
  id: 'withdraw-suggestion',
  title: { zh: '撤回建议、议案', en: 'Withdraw a suggestion or motion' },
  description: {
    zh: '答复前撤回建议或议案；撤回后其提出不再计入履职（记录仍保留在日志中）。',
    en: 'Withdraw a suggestion or motion before it is answered; its submission no longer counts (the record stays in the log).',
  },
  roles: SUGGESTION_WRITERS,
  fields: [suggestionIdField, dateField('withdrawnOn', { zh: '撤回日期', en: 'Withdrawn on' }), reasonField({ zh: '撤回理由', en: 'Why it is withdrawn' })],
  plan: (values) => [
    {
      mutation: 'withdrawSuggestion',
      input: { suggestionId: textOf(values, 'suggestionId'), withdrawnOn: textOf(values, 'withdrawnOn'), reason: textOf(values, 'reason') },
    },
  ],
  confirm: (values) =>
    message({ zh: '{title} 已于 {date} 撤回', en: '{title} withdrawn on {date}' }, { title: str(values, 'suggestionLabel'), date: str(values, 'withdrawnOn') }),
};

/** Every form of the page, grouped as the page lists them. */
export const FORM_GROUPS: readonly { title: Bilingual; forms: readonly FormSpec[] }[] = [
  { title: { zh: '活动', en: 'Activities' }, forms: [organiseActivity, recordParticipation, recordAbsence] },
  { title: { zh: '家站与选民', en: 'Stations and voters' }, forms: [stationVisit, voterReception, homeVisit, dutyReport, rateDutyReport] },
  { title: { zh: '办实事与结队帮带', en: 'Practical help and pairing' }, forms: [practicalHelp, pairingActivity] },
  { title: { zh: '意见处理', en: 'Opinions' }, forms: [registerOpinion, referOpinion, answerOpinion, closeOpinion, reopenOpinion] },
  {
    title: { zh: '建议、议案', en: 'Suggestions' },
    forms: [suggestion, submitSuggestion, assignSuggestion, answerSuggestion, rateSuggestion, withdrawSuggestion],
  },
  { title: { zh: '更正与撤销', en: 'Corrections' }, forms: [correctRecord] },
];

export const ALL_FORMS: readonly FormSpec[] = FORM_GROUPS.flatMap((group) => group.forms);

/** The forms a role may use. */
export const formsFor = (role: string): FormSpec[] => ALL_FORMS.filter((form) => form.roles.includes(role));
