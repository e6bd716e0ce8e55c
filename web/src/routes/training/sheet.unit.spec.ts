import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { mutationOf, type CommandPlan } from '$lib/forms/command';
import { inputErrors } from '$lib/forms/testing';
import { personDetail } from '$lib/forms/labels';
import {
  attendeeOf,
  detailOfRejection,
  matchSheet,
  parseSheet,
  planOf,
  rowOfRejection,
  seatKindsFor,
  withSeat,
  type Absentee,
  type SheetPerson,
} from './sheet';

const schema = buildSchema(readFileSync(new URL('../../../../schema/schema.graphql', import.meta.url), 'utf8'));
const seat = (id: string, township: string, startsOn = '2026-10-01', kind = 'DEPUTY', validTo: string | null = null) => ({
  mandateId: id,
  termNumber: 18,
  kind,
  level: kind === 'DEPUTY' ? 'TOWNSHIP' : null,
  township,
  startsOn,
  validTo,
});
const person = (id: string, name: string, mandates: SheetPerson['mandates'], gender: string | null = 'FEMALE'): SheetPerson => ({
  personId: id,
  name,
  gender,
  mandates,
});
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('reading a sign-in sheet', () => {
  it('takes one name a line, or names separated by 、，, ；, tabs or spaces', () => {
    expect(parseSheet('张三\n李四\r\n王五').names).toEqual(['张三', '李四', '王五']);
    expect(parseSheet('张三、李四，王五,赵六；钱七;孙八\t周九').names).toEqual(['张三', '李四', '王五', '赵六', '钱七', '孙八', '周九']);
    expect(parseSheet('张三 李四  王五　赵六丰').names).toEqual(['张三', '李四', '王五', '赵六丰']);
  });

  it('keeps a two-character name spaced to line up as one name, and drops numbering, ticks and blank lines', () => {
    expect(parseSheet('王　芳\n欧阳明月\n李 四').names).toEqual(['王芳', '欧阳明月', '李四']);
    expect(parseSheet('1. 张三\n2、李四\n(3) 王五\n４．赵六\n\n   \n✓\n10').names).toEqual(['张三', '李四', '王五', '赵六']);
  });

  it('counts a name written twice once, and says which', () => {
    expect(parseSheet('张三\n李四\n张三、张三')).toEqual({ names: ['张三', '李四'], repeated: ['张三'] });
    expect(parseSheet('')).toEqual({ names: [], repeated: [] });
  });
});

describe('matching the sheet’s names to people on the day', () => {
  const zhang = person(uuid(1), '张三', [seat(uuid(11), '石羊镇')], 'MALE');
  const wangA = person(uuid(2), '王芳', [seat(uuid(12), '石羊镇')]);
  const wangB = person(uuid(3), '王芳', [seat(uuid(13), '龙台镇')]);
  const wangGone = person(uuid(4), '王芳', [seat(uuid(14), '周礼镇', '2021-01-01', 'DEPUTY', '2025-12-31')]);
  const late = person(uuid(5), '迟到', [seat(uuid(15), '龙台镇', '2026-11-25')]);

  it('adds a name borne by one person with a seat that day, asks among namesakes, and lists unknown and seatless names', () => {
    const result = matchSheet(
      [
        { name: '张三', people: [zhang] },
        { name: '王芳', people: [wangA, wangB, wangGone] },
        { name: '查无此人', people: [] },
        { name: '迟到', people: [late] },
      ],
      '2026-11-20',
      new Set(),
    );
    expect(result.matched).toEqual([zhang]);
    expect(result.issues).toEqual([
      { name: '王芳', kind: 'namesakes', candidates: [wangA, wangB] },
      { name: '查无此人', kind: 'unknown', candidates: [] },
      { name: '迟到', kind: 'no-seat', candidates: [late] },
    ]);
    expect(result.alreadyListed).toEqual([]);
  });

  it('takes the only namesake who held a seat that day, and does not add someone already listed', () => {
    const result = matchSheet(
      [
        { name: '王芳', people: [wangA, wangGone] },
        { name: '张三', people: [zhang] },
      ],
      '2026-11-20',
      new Set([zhang.personId]),
    );
    expect(result.matched).toEqual([wangA]);
    expect(result.alreadyListed).toEqual(['张三']);
  });

  it('counts only deputies’ seats for 列席 a committee meeting', () => {
    const staff = person(uuid(6), '刘洋', [seat(uuid(16), '', '2026-01-01', 'OFFICE_STAFF')]);
    expect(seatKindsFor('activity:COMMITTEE_MEETING')).toEqual(['DEPUTY']);
    expect(matchSheet([{ name: '刘洋', people: [staff] }], '2026-11-20', new Set(), ['DEPUTY']).issues[0]!.kind).toBe('no-seat');
    expect(matchSheet([{ name: '刘洋', people: [staff] }], '2026-11-20', new Set(), seatKindsFor('training:INDUCTION_CLASS')).matched).toEqual([staff]);
  });

  it('seats each person on the day, following the date', () => {
    const attendee = attendeeOf({ ...late, mandateId: null }, '2026-11-20');
    expect(attendee.mandateId).toBeNull();
    expect(withSeat(attendee, '2026-11-30').mandateId).toBe(uuid(15));
    expect(personDetail('zh-CN', wangB, '2026-11-20')).toBe('女 · 第十八届 · 人大代表 · 乡镇级 · 龙台镇');
    expect(personDetail('zh-CN', late, '2026-11-20')).toBe('女 · 2026-11-20 无在任任职');
    expect(personDetail('en', zhang, null)).toBe('male · Term 18 · Deputy · Township · 石羊镇');
  });
});

describe('the one command', () => {
  const ids = (name: string) => `id:${name}`;
  const attendees = [attendeeOf({ ...person(uuid(1), '张三', [seat(uuid(11), '石羊镇')]), mandateId: null }, '2026-11-20')];
  /** The plan's input checked against the committed SDL, as the page sends it. */
  const coerces = (plan: CommandPlan) => {
    const fresh = JSON.parse(JSON.stringify(plan.input).replace(/"id:[^"]*"/g, `"${uuid(9)}"`));
    return inputErrors(schema, { document: plan.document, input: fresh }, uuid(99));
  };

  it('records a training and its attendees with organiseTrainingWithAttendance', () => {
    const plan = planOf(
      { category: 'training:INDUCTION_CLASS', title: ' 新任代表履职培训班 ', date: '2026-11-20', organiser: '', township: '' },
      attendees,
      [],
      ids,
    );
    expect(mutationOf(plan.document)).toBe('organiseTrainingWithAttendance');
    expect(plan.input).toEqual({
      activityId: 'id:activityId',
      title: '新任代表履职培训班',
      date: '2026-11-20',
      trainingType: 'INDUCTION_CLASS',
      attendees: [{ personId: uuid(1), mandateId: uuid(11), recordId: `id:attendees:${uuid(1)}` }],
    });
    expect(coerces(plan)).toEqual([]);
  });

  it('records a supervision activity with participants and absentees with organiseActivityWithParticipants', () => {
    const absent: Absentee = {
      ...attendeeOf({ ...person(uuid(2), '王芳', [seat(uuid(12), '龙台镇')]), mandateId: null }, '2026-11-20'),
      act: 'ABSENCE_WITH_LEAVE',
      reason: ' 因病 ',
    };
    const plan = planOf({ category: 'activity:RESEARCH', title: '调研', date: '2026-11-20', organiser: ' 农工委 ', township: '' }, attendees, [absent], ids);
    expect(mutationOf(plan.document)).toBe('organiseActivityWithParticipants');
    expect(plan.input).toMatchObject({
      kind: 'RESEARCH',
      organiser: '农工委',
      township: null,
      participants: [{ personId: uuid(1), mandateId: uuid(11) }],
      absentees: [{ personId: uuid(2), mandateId: uuid(12), act: 'ABSENCE_WITH_LEAVE', reason: '因病' }],
    });
    expect(coerces(plan)).toEqual([]);
  });

  it('finds the row or the detail a refusal names', () => {
    expect(rowOfRejection('attendees.3.mandateId')).toEqual({ list: 'attendees', index: 3 });
    expect(rowOfRejection('participants.0.personId')).toEqual({ list: 'attendees', index: 0 });
    expect(rowOfRejection('absentees.12')).toEqual({ list: 'absentees', index: 12 });
    expect(rowOfRejection('title')).toBeNull();
    expect(rowOfRejection(null)).toBeNull();
    expect(detailOfRejection('date')).toBe('date');
    expect(detailOfRejection('trainingType')).toBe('category');
    expect(detailOfRejection('attendees')).toBeNull();
  });
});
