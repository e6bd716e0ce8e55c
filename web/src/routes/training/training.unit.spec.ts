import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fieldForRejection, Submission, validateForm, type FormContext } from '$lib/forms/engine';
import { inputErrors } from '$lib/forms/testing';
import { ATTENDANCE_RECORDERS, attendanceForm, occurredAtFromLocalInput } from './attendance';
import { barPercent, totalPersonTimes } from './training';

describe('the person-times table', () => {
  it('totals the person-times of every kind of training', () => {
    expect(totalPersonTimes([{ personTimes: 3 }, { personTimes: 0 }, { personTimes: 12 }])).toBe(15);
    expect(totalPersonTimes([])).toBe(0);
  });

  it('sizes bars against the largest kind and never divides by zero', () => {
    expect(barPercent(5, 20)).toBe(25);
    expect(barPercent(20, 20)).toBe(100);
    expect(barPercent(0, 0)).toBe(0);
    expect(barPercent(3, 0)).toBe(0);
  });
});

const schema = buildSchema(readFileSync(new URL('../../../../schema/schema.graphql', import.meta.url), 'utf8'));
const TRAINING = '00000000-0000-4000-8000-000000000001';
const PERSON = '00000000-0000-4000-8000-000000000002';
const form = attendanceForm([{ trainingId: TRAINING, title: '新任代表履职培训班', date: '2026-03-02', attendees: 41 }]);
const chosen = { personId: PERSON, name: '余祥成', mandates: [], mandateId: null };
const staff: FormContext = { today: '2026-06-30', role: 'staff' };
const values = (extra: Record<string, string> = {}) => ({ training: TRAINING, person: chosen, occurredAt: '', ...extra });

describe('the attendance form', () => {
  it('offers the trainings with their person-times and a person found in the whole roster, and asks for both', () => {
    const [training, person] = form.fields;
    expect(training).toMatchObject({
      kind: 'select',
      options: [{ value: TRAINING, label: { zh: '2026-03-02 · 新任代表履职培训班（41 人次）', en: '2026-03-02 · 新任代表履职培训班 (41 person-times)' } }],
    });
    expect(person).toMatchObject({ kind: 'person', selfWhenDeclaring: true });
    const problems = validateForm(form, { training: '', person: null, occurredAt: '' }, staff);
    expect(problems.training).toEqual({ zh: '请选择培训', en: 'Training: please choose' });
    expect(problems.person?.zh).toBe('请选择人员');
    expect(validateForm(form, values(), staff)).toEqual({});
    expect(validateForm(form, values({ occurredAt: 'not a time' }), staff).occurredAt?.zh).toBe('请输入有效的时间');
    // Nothing to choose: the page says so beside the field.
    expect(attendanceForm([]).fields.map((field) => field.hint?.zh)).toEqual(['暂无培训，无法登记。', undefined, '留空表示当前时间。']);
  });

  it('sends what the schema accepts, leaving the time out when empty (the API then uses now)', () => {
    const submission = new Submission();
    const [plain] = submission.prepare(form.plan(values(), submission.id, staff));
    expect(plain!.input).toEqual({ trainingId: TRAINING, personId: PERSON });
    const [timed] = submission.prepare(form.plan(values({ occurredAt: '2026-03-02T09:30' }), submission.id, staff));
    expect(timed!.input.occurredAt).toBe(new Date(2026, 2, 2, 9, 30).toISOString());
    for (const plan of [plain!, timed!]) {
      expect(inputErrors(schema, plan, plan.commandId)).toEqual([]);
    }
    // The same values again (a retry) keep their command id; other values get another.
    expect(submission.prepare(form.plan(values(), submission.id, staff))[0]!.commandId).toBe(plain!.commandId);
    expect(timed!.commandId).not.toBe(plain!.commandId);
    expect(form.confirm(values(), staff)).toEqual({ zh: '余祥成 参加培训「新任代表履职培训班」', en: '余祥成 attended “新任代表履职培训班”' });
  });

  it('is offered to the roles the API lets record an attendance', () => {
    const description = schema.getMutationType()!.getFields().recordTrainingAttendance!.description ?? '';
    const roles = [...(/May be issued by: ([^;]*);/.exec(description)?.[1] ?? '').matchAll(/\(([a-z-]+)\)/g)].map((found) => found[1]);
    expect([...ATTENDANCE_RECORDERS].sort()).toEqual(roles.sort());
    expect(form.roles).toBe(ATTENDANCE_RECORDERS);
  });
});

describe('a rejection from the API', () => {
  it('is shown next to the input its field names', () => {
    expect(fieldForRejection(form, null, 'personId')).toBe('person');
    expect(fieldForRejection(form, null, 'activityId')).toBe('training');
    expect(fieldForRejection(form, null, 'trainingId')).toBe('training');
    expect(fieldForRejection(form, null, 'occurredAt')).toBe('occurredAt');
  });

  it('without a known field belongs to the form as a whole', () => {
    expect(fieldForRejection(form, null, null)).toBeNull();
    expect(fieldForRejection(form, null, undefined)).toBeNull();
    expect(fieldForRejection(form, null, 'commandId')).toBeNull();
  });
});

describe('the attended-at input', () => {
  it('is omitted when empty, refused when not a time, an ISO instant otherwise', () => {
    expect(occurredAtFromLocalInput('')).toBeUndefined();
    expect(occurredAtFromLocalInput('not a time')).toBeNull();
    const iso = occurredAtFromLocalInput('2024-05-01T09:30');
    expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(new Date(iso!).getTime()).toBe(new Date(2024, 4, 1, 9, 30).getTime());
  });
});
