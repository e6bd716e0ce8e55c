/** Activities: organising one with its participants, a late participant, an absence. */
import { OrganiseActivityWithParticipantsCommand } from '$lib/forms/activity-commands';
import { command } from '$lib/forms/command';
import { graphql } from '$lib/gql';
import { compact, listOf, message, peopleOf, personOf, textOf, type Field, type FormSpec, type Option } from '$lib/forms/engine';
import { names } from '$lib/forms/labels';
import type { Words } from '$lib/i18n';
import { ACT_LABELS, ACTIVITY_KIND_LABELS } from '$lib/vocabulary.generated';
import { STAFF, ACT_RECORDERS, RECORDERS, actorField, dateField, reasonField, wordsOf, optionsOf, optionLabel, str, personName, personInput } from './fields';

const RecordParticipationCommand = graphql(`
  mutation RecordParticipationCommand($input: RecordParticipationInput!) {
    result: recordParticipation(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const RecordAbsenceCommand = graphql(`
  mutation RecordAbsenceCommand($input: RecordAbsenceInput!) {
    result: recordAbsence(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

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

/** The kinds of activity, named by the domain vocabulary; the five supervision kinds come first. */
export const ACTIVITY_KINDS: readonly Option[] = optionsOf(ACTIVITY_KIND_LABELS);

const SUPERVISION_FORMS: readonly Option[] = ACTIVITY_KINDS.slice(0, 5);

const kindLabel = (value: string | null): Words => ACTIVITY_KINDS.find((kind) => kind.value === value)?.label ?? { zh: '活动', en: 'activity' };

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
      command(
        OrganiseActivityWithParticipantsCommand,
        compact({
          activityId: ids('activityId'),
          kind: textOf(values, 'kind'),
          title: textOf(values, 'title'),
          date: textOf(values, 'date'),
          organiser: textOf(values, 'organiser'),
          township: textOf(values, 'township'),
          forms: forms.length > 0 ? forms : undefined,
          participants: participants.map((person) => ({ recordId: ids(`participation:${person.personId}`), ...personInput(person) })),
        }),
        {
          fields: { participants: 'participants' },
          label: message(
            { zh: '登记{kind}「{title}」及参加人员 {count} 人', en: 'Record the {kind} “{title}” with {count} participant(s)' },
            { kind, title: str(values, 'title'), count: participants.length },
          ),
        },
      ),
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
    command(RecordParticipationCommand, { activityId: textOf(values, 'activityId'), recordId: ids('recordId'), ...personInput(personOf(values, 'person')) }),
  ],
  confirm: (values) =>
    message(
      { zh: '{name} 参加{activity}', en: '{name} took part in {activity}' },
      { name: personName(values, 'person'), activity: str(values, 'activityLabel') },
    ),
};

const ABSENCE_ACTS: readonly Option[] = optionsOf(ACT_LABELS, ['ABSENCE_WITH_LEAVE', 'ABSENCE_WITHOUT_LEAVE']);

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
    command(RecordAbsenceCommand, {
      activityId: textOf(values, 'activityId'),
      recordId: ids('recordId'),
      ...personInput(personOf(values, 'person')),
      act: textOf(values, 'act'),
      reason: textOf(values, 'reason'),
    }),
  ],
  confirm: (values) =>
    message(
      { zh: '{name} 缺席{activity}（{kind}）', en: '{name} absent from {activity} ({kind})' },
      { name: personName(values, 'person'), activity: str(values, 'activityLabel'), kind: optionLabel(ABSENCE_ACTS, values, 'act') },
    ),
};
