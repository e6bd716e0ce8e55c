import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { CommandDocument } from './command';
import {
  defaultMandate,
  fieldForRejection,
  initialValues,
  instantOf,
  mandatesFor,
  resolveMandates,
  Submission,
  validateField,
  validateForm,
  type Field,
  type FormContext,
  type PersonChoice,
  type Values,
} from './engine';

const context: FormContext = { today: '2026-06-30', role: 'staff' };
const deputyContext: FormContext = { today: '2026-06-30', role: 'deputy', self: { personId: 'p-self', name: '自己' } };

const field = <F extends Field>(spec: F) => spec;
const zh = (field: Field, value: Values[string], values: Values = {}, ctx = context) => validateField(field, value, values, ctx)?.zh ?? null;

const person = (id: string, mandates: PersonChoice['mandates'], mandateId: string | null = null): PersonChoice => ({
  personId: id,
  name: `人${id}`,
  mandates,
  mandateId,
});
const SEATS = [
  { mandateId: 'm17', termNumber: 17, kind: 'DEPUTY', startsOn: '2016-11-20', validTo: '2021-11-19' },
  { mandateId: 'm18', termNumber: 18, kind: 'DEPUTY', startsOn: '2021-11-20', validTo: null },
  { mandateId: 'staff18', termNumber: 18, kind: 'OFFICE_STAFF', startsOn: '2021-11-20', validTo: null },
];

describe('validation as you type, mirroring the GraphQL input', () => {
  it('asks for required values in the field’s own words, in both languages', () => {
    const title = field({ kind: 'text', name: 'title', label: { zh: '活动名称', en: 'Title' }, required: true, maxLength: 200 });
    expect(validateField(title, '', {}, context)).toEqual({ zh: '请填写活动名称', en: 'Title is required' });
    expect(zh(title, '   ')).toBe('请填写活动名称');
    expect(zh(field({ kind: 'select', name: 'kind', label: { zh: '类别', en: 'kind' }, required: true, options: [] }), '')).toBe('请选择类别');
    // Optional and empty: nothing to say.
    expect(zh(field({ kind: 'text', name: 'township', label: { zh: '乡镇', en: 'township' }, maxLength: 100 }), '')).toBeNull();
  });

  it('counts characters, not UTF-16 units, and refuses what the log cannot store', () => {
    const note = field({ kind: 'textarea', name: 'note', label: { zh: '备注', en: 'Note' }, maxLength: 3 });
    expect(zh(note, '𠀀𠀀𠀀')).toBeNull();
    expect(zh(note, '四个字符')).toBe('备注不能超过 3 个字符');
    expect(zh(note, 'a\u0000')).toBe('备注含有无法保存的字符');
    expect(zh(note, 'a\uD800')).toBe('备注含有无法保存的字符');
  });

  it('takes real calendar days, not in the future, not before another date', () => {
    const date = field({ kind: 'date', name: 'date', label: { zh: '日期', en: 'Date' }, required: true, notFuture: true });
    expect(zh(date, '2026-02-30')).toBe('请输入有效日期（年-月-日）');
    expect(zh(date, '2026-07-01')).toBe('日期不能晚于今天（2026-06-30）');
    expect(zh(date, '2026-06-30')).toBeNull();
    const deadline = field({
      kind: 'date',
      name: 'deadline',
      label: { zh: '期限', en: 'Deadline' },
      required: true,
      notBefore: { field: 'registeredOn', label: { zh: '登记日期', en: 'registration' } },
    });
    expect(zh(deadline, '2026-05-01', { registeredOn: '2026-05-02' })).toBe('不能早于登记日期');
    expect(zh(deadline, '2026-08-01', { registeredOn: '2026-05-02' })).toBeNull();
  });

  it('takes whole numbers within bounds', () => {
    const year = field({ kind: 'int', name: 'year', label: { zh: '年度', en: 'Year' }, required: true, min: 2000, max: 2100 });
    expect(zh(year, '20.5')).toBe('请输入整数');
    expect(zh(year, '1999')).toBe('不能小于 2000');
    expect(zh(year, '2101')).toBe('不能大于 2100');
    expect(zh(year, '2026')).toBeNull();
  });

  it('takes a local date and time, or nothing when optional, and makes it an instant', () => {
    const at = field({ kind: 'datetime', name: 'occurredAt', label: { zh: '时间', en: 'Time' } });
    expect(zh(at, '')).toBeNull();
    expect(zh(at, '2026-06-01')).toBe('请输入有效的时间');
    expect(zh(at, '2026-02-30T09:00')).toBe('请输入有效的时间');
    expect(zh(at, '2026-06-01T09:30')).toBeNull();
    expect(instantOf('2026-06-01T09:30')).toBe(new Date(2026, 5, 1, 9, 30).toISOString());
    expect(instantOf('soon')).toBeNull();
  });

  it('checks lists as the API does', () => {
    const topics = field({ kind: 'lines', name: 'topics', label: { zh: '议题', en: 'Topics' }, maxItems: 2, maxLength: 4 });
    expect(zh(topics, 'a\n\nb\n')).toBeNull();
    expect(zh(topics, 'a\nb\nc')).toBe('最多 2 项');
    expect(zh(topics, 'a\n五个字符啊')).toBe('第 2 行超过 4 个字符');
    const forms = field({ kind: 'checkboxes', name: 'forms', label: { zh: '形式', en: 'Forms' }, options: [], maxItems: 1 });
    expect(zh(forms, ['A', 'B'])).toBe('最多 1 项');
  });

  it('needs each chosen person to have held a fitting seat on the form’s date', () => {
    const deputy = field({
      kind: 'person',
      name: 'person',
      label: { zh: '代表', en: 'Deputy' },
      required: true,
      mandate: { kinds: ['DEPUTY'], dateField: 'date' },
    });
    expect(zh(deputy, null)).toBe('请选择代表');
    expect(zh(deputy, person('1', SEATS, 'm18'), { date: '2024-03-01' })).toBeNull();
    // The seat chosen must still fit when the date changes.
    expect(zh(deputy, person('1', SEATS, 'm18'), { date: '2019-03-01' })).toBe('请为人1选择任职');
    expect(zh(deputy, person('2', [SEATS[2]!], 'staff18'), { date: '2024-03-01' })).toBe('人2在 2024-03-01 没有可用的任职');
    const participants = field({
      kind: 'people',
      name: 'participants',
      label: { zh: '参加人员', en: 'Participants' },
      required: true,
      minItems: 1,
      maxItems: 2,
      mandate: { dateField: 'date' },
    });
    expect(zh(participants, [])).toBe('请至少选择 1 人');
    expect(zh(participants, [person('1', SEATS, 'm17'), person('2', SEATS, 'm17'), person('3', SEATS, 'm17')], { date: '2018-01-01' })).toBe('最多 2 项');
    expect(zh(participants, [person('1', SEATS, 'm17')], { date: '2018-01-01' })).toBeNull();
  });

  it('runs a field’s own rule after its kind’s, and skips fields that are not shown', () => {
    const onlyMe: Field = {
      kind: 'person',
      name: 'person',
      label: { zh: '代表', en: 'Deputy' },
      required: true,
      check: (value, _values, ctx) => ((value as PersonChoice).personId !== ctx.self?.personId ? { zh: '只能申报本人', en: 'Only yourself' } : null),
    };
    expect(zh(onlyMe, person('other', []), {}, deputyContext)).toBe('只能申报本人');
    const reason: Field = {
      kind: 'textarea',
      name: 'reason',
      label: { zh: '理由', en: 'Reason' },
      required: true,
      maxLength: 10,
      when: (values) => values.decision === 'reject',
    };
    expect(validateForm({ fields: [reason] }, { decision: 'approve', reason: '' }, context)).toEqual({});
    expect(Object.keys(validateForm({ fields: [reason] }, { decision: 'reject', reason: '' }, context))).toEqual(['reason']);
  });
});

describe('seats', () => {
  it('offers the seats of the accepted kinds held on the day, and preselects the only one', () => {
    expect(mandatesFor({ mandates: SEATS }, { kinds: ['DEPUTY'] }, '2021-11-19').map((seat) => seat.mandateId)).toEqual(['m17']);
    expect(mandatesFor({ mandates: SEATS }, undefined, '2022-01-01').map((seat) => seat.mandateId)).toEqual(['m18', 'staff18']);
    expect(defaultMandate({ mandates: SEATS }, { kinds: ['DEPUTY'] }, '2022-01-01')).toBe('m18');
    expect(defaultMandate({ mandates: SEATS }, undefined, '2022-01-01')).toBeNull();
  });

  it('keeps a chosen seat that still fits and replaces one that does not', () => {
    const spec = {
      fields: [
        field({
          kind: 'people',
          name: 'deputies',
          label: { zh: '代表', en: 'Deputies' },
          minItems: 1,
          maxItems: 5,
          mandate: { kinds: ['DEPUTY'], dateField: 'date' },
        }),
      ],
    };
    const values: Values = { date: '2024-01-01', deputies: [person('1', SEATS, null), person('2', SEATS, 'm18')] };
    const resolved = resolveMandates(spec, values, context)!;
    expect((resolved.deputies as PersonChoice[]).map((chosen) => chosen.mandateId)).toEqual(['m18', 'm18']);
    expect(resolveMandates(spec, resolved, context)).toBeNull();
    const earlier = resolveMandates(spec, { ...resolved, date: '2018-01-01' }, context)!;
    expect((earlier.deputies as PersonChoice[]).map((chosen) => chosen.mandateId)).toEqual(['m17', 'm17']);
  });

  it('starts a declaring deputy’s own person fields as themself', () => {
    const spec = {
      fields: [
        field({ kind: 'person', name: 'person', label: { zh: '代表', en: 'Deputy' }, selfWhenDeclaring: true }),
        field({ kind: 'date', name: 'date', label: { zh: '日期', en: 'Date' }, defaultToday: true }),
      ],
    };
    const me = person('p-self', SEATS);
    expect(initialValues(spec, deputyContext, me)).toEqual({ person: me, date: '2026-06-30' });
    expect(initialValues(spec, context, me)).toEqual({ person: null, date: '2026-06-30' });
  });
});

describe('a submission’s ids', () => {
  /** A stand-in command document (only its mutation's name matters here). */
  const doc = (mutation: string) => parse(`mutation M($input: I!) { result: ${mutation}(input: $input) { __typename } }`) as CommandDocument;
  let counter = 0;
  const newId = () => `id-${++counter}`;

  it('keeps the command id for a retry of the same input, and gives changed input a new one', () => {
    const submission = new Submission(newId);
    const activityId = submission.id('activityId');
    expect(submission.id('activityId')).toBe(activityId);
    const plan = { document: doc('organiseActivity'), input: { activityId, title: 'A' } };
    const [first] = submission.prepare([plan]);
    const [retry] = submission.prepare([{ ...plan, input: { ...plan.input } }]);
    expect(retry!.commandId).toBe(first!.commandId);
    const [changed] = submission.prepare([{ ...plan, input: { ...plan.input, title: 'B' } }]);
    expect(changed!.commandId).not.toBe(first!.commandId);
    // The new record keeps its id while the submission lasts.
    expect((changed!.input as { activityId: string }).activityId).toBe(activityId);
  });

  it('gives the same input to another command its own command id', () => {
    const submission = new Submission(newId);
    const input = { recordId: submission.id('recordId'), reason: '误登' };
    const [correct, retract] = submission.prepare([
      { document: doc('correctRecord'), input },
      { document: doc('retractRecord'), input },
    ]);
    expect(correct!.commandId).not.toBe(retract!.commandId);
  });

  it('does not send again what was recorded, and starts afresh after success', () => {
    const submission = new Submission(newId);
    const plans = [
      { document: doc('organiseActivity'), input: { activityId: submission.id('activityId') } },
      { document: doc('recordParticipation'), input: { personId: 'p1' } },
    ];
    const first = submission.prepare(plans);
    submission.recorded(plans[0]!);
    const retry = submission.prepare(plans);
    expect(retry.map((plan) => plan.done)).toEqual([true, false]);
    expect(retry.map((plan) => plan.commandId)).toEqual(first.map((plan) => plan.commandId));
    const activityId = submission.id('activityId');
    submission.settle();
    expect(submission.id('activityId')).not.toBe(activityId);
    expect(submission.prepare(plans)[0]!.commandId).not.toBe(first[0]!.commandId);
  });
});

describe('a Rejection beside its field', () => {
  const spec = {
    fields: [
      field({ kind: 'person', name: 'person', label: { zh: '代表', en: 'Deputy' }, api: ['personId', 'mandateId'] }),
      field({ kind: 'text', name: 'voterName', label: { zh: '选民姓名', en: 'Name' }, maxLength: 100, api: ['voter.name', 'voter'] }),
      field({ kind: 'people', name: 'deputies', label: { zh: '代表', en: 'Deputies' }, minItems: 1, maxItems: 5 }),
      field({ kind: 'date', name: 'date', label: { zh: '日期', en: 'Date' } }),
      field({ kind: 'textarea', name: 'reason', label: { zh: '理由', en: 'Reason' }, maxLength: 10, when: (values: Values) => values.decision === 'reject' }),
    ],
  };

  it('maps the API’s input paths to the form’s fields', () => {
    expect(fieldForRejection(spec, null, 'date')).toBe('date');
    expect(fieldForRejection(spec, null, 'mandateId')).toBe('person');
    expect(fieldForRejection(spec, null, 'voter.name')).toBe('voterName');
    expect(fieldForRejection(spec, null, 'voter.phone')).toBe('voterName');
    expect(fieldForRejection(spec, null, 'deputies.1.mandateId')).toBe('deputies');
  });

  it('lets a command map its own fields, and leaves the rest to the form', () => {
    expect(fieldForRejection(spec, { fields: { personId: 'deputies' } }, 'personId')).toBe('deputies');
    expect(fieldForRejection(spec, null, 'commandId')).toBeNull();
    expect(fieldForRejection(spec, null, null)).toBeNull();
    expect(fieldForRejection(spec, null, 'dates')).toBeNull();
    // A field not shown cannot hold the message.
    expect(fieldForRejection(spec, null, 'reason', { decision: 'approve' })).toBeNull();
    expect(fieldForRejection(spec, null, 'reason', { decision: 'reject' })).toBe('reason');
  });
});
