/** Practical help (办实事) and pairing activities (结队帮带). */
import { command } from '$lib/forms/command';
import { graphql } from '$lib/gql';
import { intOf, message, peopleOf, personOf, textOf, type FormSpec, type Option } from '$lib/forms/engine';
import { ACT_LABELS } from '$lib/vocabulary.generated';
import { ACT_RECORDERS, actorField, dateField, wordsOf, optionsOf, optionLabel, str, personName, personInput } from './fields';

const RecordPracticalHelpCommand = graphql(`
  mutation RecordPracticalHelpCommand($input: RecordPracticalHelpInput!) {
    result: recordPracticalHelp(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const RecordPairingActivityCommand = graphql(`
  mutation RecordPairingActivityCommand($input: RecordPairingActivityInput!) {
    result: recordPairingActivity(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const HELP_ACTS: readonly Option[] = optionsOf(ACT_LABELS, ['POLICY_PUBLICITY', 'LEGAL_ADVICE', 'DISPUTE_MEDIATION']);

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
    command(RecordPracticalHelpCommand, {
      recordId: ids('recordId'),
      act: textOf(values, 'act'),
      ...personInput(personOf(values, 'person')),
      date: textOf(values, 'date'),
      summary: textOf(values, 'summary'),
      beneficiaries: intOf(values, 'beneficiaries'),
      township: textOf(values, 'township'),
    }),
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
    command(RecordPairingActivityCommand, {
      pairingId: textOf(values, 'pairingId'),
      recordId: ids('recordId'),
      ...personInput(personOf(values, 'person')),
      date: textOf(values, 'date'),
      description: textOf(values, 'description'),
      menteePersonIds: peopleOf(values, 'mentees').map((person) => person.personId),
    }),
  ],
  confirm: (values) =>
    message(
      { zh: '{name} {date} 参加结队帮带活动', en: '{name} took part in a pairing activity on {date}' },
      { name: personName(values, 'person'), date: str(values, 'date') },
    ),
};
