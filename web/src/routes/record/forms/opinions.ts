/** Voters' opinions: registering, referring, answering, closing and reopening. */
import { command } from '$lib/forms/command';
import { graphql } from '$lib/gql';
import { message, personOf, textOf, type Field, type FormSpec } from '$lib/forms/engine';
import { OPINION_HANDLERS, L, ownActs, dateField, stationField, deadlineField, reasonField, SATISFACTION, optionLabel, str } from './fields';

const RegisterOpinionCommand = graphql(`
  mutation RegisterOpinionCommand($input: RegisterOpinionInput!) {
    result: registerOpinion(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const ReferOpinionCommand = graphql(`
  mutation ReferOpinionCommand($input: ReferOpinionInput!) {
    result: referOpinion(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const AnswerOpinionCommand = graphql(`
  mutation AnswerOpinionCommand($input: AnswerOpinionInput!) {
    result: answerOpinion(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const CloseOpinionCommand = graphql(`
  mutation CloseOpinionCommand($input: CloseOpinionInput!) {
    result: closeOpinion(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const ReopenOpinionCommand = graphql(`
  mutation ReopenOpinionCommand($input: ReopenOpinionInput!) {
    result: reopenOpinion(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const opinionFields: Field[] = [
  { kind: 'station', name: 'stationId', label: L.station, required: true, api: [] },
  { kind: 'opinion', name: 'opinionId', label: L.opinion, required: true, stationField: 'stationId' },
];

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
    command(RegisterOpinionCommand, {
      opinionId: ids('opinionId'),
      stationId: textOf(values, 'stationId'),
      receivedByPersonId: personOf(values, 'receivedBy')?.personId,
      receptionId: textOf(values, 'receptionId'),
      registeredOn: textOf(values, 'registeredOn'),
      category: textOf(values, 'category'),
      content: textOf(values, 'content'),
      deadline: textOf(values, 'deadline'),
      voter: { name: textOf(values, 'voterName'), phone: textOf(values, 'voterPhone'), address: textOf(values, 'voterAddress') },
    }),
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
    command(ReferOpinionCommand, {
      opinionId: textOf(values, 'opinionId'),
      agency: textOf(values, 'agency'),
      referredOn: textOf(values, 'referredOn'),
      deadline: textOf(values, 'deadline'),
    }),
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
    command(AnswerOpinionCommand, { opinionId: textOf(values, 'opinionId'), answer: textOf(values, 'answer'), answeredOn: textOf(values, 'answeredOn') }),
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
    command(CloseOpinionCommand, {
      opinionId: textOf(values, 'opinionId'),
      closedOn: textOf(values, 'closedOn'),
      satisfaction: textOf(values, 'satisfaction'),
      note: textOf(values, 'note'),
    }),
  ],
  confirm: (values) =>
    message(
      { zh: '意见于 {date} 办结（{rating}）', en: 'Opinion closed on {date} ({rating})' },
      { date: str(values, 'closedOn'), rating: optionLabel(SATISFACTION, values, 'satisfaction') },
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
    command(ReopenOpinionCommand, {
      opinionId: textOf(values, 'opinionId'),
      reopenedOn: textOf(values, 'reopenedOn'),
      deadline: textOf(values, 'deadline'),
      reason: textOf(values, 'reason'),
    }),
  ],
  confirm: (values) =>
    message(
      { zh: '意见于 {date} 重新办理，期限 {deadline}', en: 'Opinion reopened on {date}, due {deadline}' },
      { date: str(values, 'reopenedOn'), deadline: str(values, 'deadline') },
    ),
};
