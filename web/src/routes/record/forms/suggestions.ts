/** Suggestions and motions (建议、议案): drafting, submitting and handling. */
import { command } from '$lib/forms/command';
import { graphql } from '$lib/gql';
import { message, peopleOf, personOf, textOf, type CommandPlan, type Field, type FormSpec, type Option, type Values } from '$lib/forms/engine';
import {
  STAFF,
  SUGGESTION_WRITERS,
  DEPUTY_SEAT,
  deputyField,
  dateField,
  deadlineField,
  reasonField,
  wordsOf,
  option,
  SATISFACTION,
  optionLabel,
  str,
} from './fields';

const DraftSuggestionCommand = graphql(`
  mutation DraftSuggestionCommand($input: DraftSuggestionInput!) {
    result: draftSuggestion(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const SubmitSuggestionCommand = graphql(`
  mutation SubmitSuggestionCommand($input: SubmitSuggestionInput!) {
    result: submitSuggestion(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const AssignSuggestionCommand = graphql(`
  mutation AssignSuggestionCommand($input: AssignSuggestionInput!) {
    result: assignSuggestion(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const AnswerSuggestionCommand = graphql(`
  mutation AnswerSuggestionCommand($input: AnswerSuggestionInput!) {
    result: answerSuggestion(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const RateSuggestionCommand = graphql(`
  mutation RateSuggestionCommand($input: RateSuggestionInput!) {
    result: rateSuggestion(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const WithdrawSuggestionCommand = graphql(`
  mutation WithdrawSuggestionCommand($input: WithdrawSuggestionInput!) {
    result: withdrawSuggestion(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

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

const SUGGESTION_KINDS: readonly Option[] = [option('SUGGESTION', '建议', 'Suggestion'), option('MOTION', '议案', 'Motion')];
const suggestionKind = (values: Values) => SUGGESTION_KINDS.find((item) => item.value === textOf(values, 'kind'))?.label ?? SUGGESTION_KINDS[0]!.label;
const coSignersOf = (values: Values) => peopleOf(values, 'coSigners').map((person) => ({ personId: person.personId, mandateId: person.mandateId }));
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
      command(
        DraftSuggestionCommand,
        {
          suggestionId,
          kind: textOf(values, 'kind'),
          title: textOf(values, 'title'),
          content: textOf(values, 'content'),
          draftedOn: textOf(values, 'draftedOn'),
          leadPersonId: personOf(values, 'lead')?.personId,
          leadMandateId: personOf(values, 'lead')?.mandateId,
        },
        { label: message({ zh: '起草{kind}', en: 'Draft the {kind}' }, { kind: suggestionKind(values) }) },
      ),
    ];
    if (values.submitNow === 'true') {
      plans.push(
        command(
          SubmitSuggestionCommand,
          {
            suggestionId,
            recordId: ids('recordId'),
            submittedOn: textOf(values, 'submittedOn'),
            coSigners: coSignersOf(values),
          },
          { label: message({ zh: '提出{kind}', en: 'Submit the {kind}' }, { kind: suggestionKind(values) }) },
        ),
      );
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
    command(SubmitSuggestionCommand, {
      suggestionId: textOf(values, 'suggestionId'),
      recordId: ids('recordId'),
      submittedOn: textOf(values, 'submittedOn'),
      coSigners: coSignersOf(values),
    }),
  ],
  confirm: (values) =>
    message({ zh: '{title} 已于 {date} 提出', en: '{title} submitted on {date}' }, { title: str(values, 'suggestionLabel'), date: str(values, 'submittedOn') }),
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
    command(AssignSuggestionCommand, {
      suggestionId: textOf(values, 'suggestionId'),
      agency: textOf(values, 'agency'),
      assignedOn: textOf(values, 'assignedOn'),
      deadline: textOf(values, 'deadline'),
    }),
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
    command(AnswerSuggestionCommand, {
      suggestionId: textOf(values, 'suggestionId'),
      outcome: textOf(values, 'outcome'),
      answer: textOf(values, 'answer'),
      answeredOn: textOf(values, 'answeredOn'),
    }),
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
    command(RateSuggestionCommand, { suggestionId: textOf(values, 'suggestionId'), ratedOn: textOf(values, 'ratedOn'), rating: textOf(values, 'rating') }),
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
    command(WithdrawSuggestionCommand, {
      suggestionId: textOf(values, 'suggestionId'),
      withdrawnOn: textOf(values, 'withdrawnOn'),
      reason: textOf(values, 'reason'),
    }),
  ],
  confirm: (values) =>
    message({ zh: '{title} 已于 {date} 撤回', en: '{title} withdrawn on {date}' }, { title: str(values, 'suggestionLabel'), date: str(values, 'withdrawnOn') }),
};
