import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseInput } from '../src/kernel/command.ts';
import { ValidationError } from '../src/kernel/errors.ts';
import { assertWithinPlanWindow, daysAfter } from '../src/kernel/handler.ts';
import { assertNotFuture } from '../src/kernel/recording.ts';
import { id, isoDate, isPhoneNumber, phone, text } from '../src/kernel/schemas.ts';
import { fieldWords } from '../src/kernel/wording.ts';

const refusal = (schema: z.ZodType, input: unknown): ValidationError => {
  try {
    parseInput(schema, input);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('accepted');
};

/** The Chinese message of what `run` throws. */
const zhOf = (run: () => void): string => {
  try {
    run();
  } catch (error) {
    return (error as { messages: { zh: string } }).messages.zh;
  }
  return 'accepted';
};

/** Latin letters in a Chinese message betray a validator's or a developer's wording. */
const LATIN = /[A-Za-z]/;

describe('dates a record may name', () => {
  const input = z.object({ date: isoDate });

  it('refuses 1900-01-01 and a day the calendar lacks, naming the field and the range in Chinese', () => {
    const old = refusal(input, { date: '1900-01-01' });
    expect(old.messages.zh).toBe('日期须在 1980-01-01 至 2099-12-31 之间');
    expect(old.field).toBe('date');
    expect(old.messages.en).toContain('1980-01-01');
    const bad = refusal(input, { date: '2026-02-30' });
    expect(bad.messages.zh).toBe('日期不是有效的日期（年-月-日，如 2026-12-04）');
    expect(refusal(input, { date: 'last tuesday' }).messages.zh).not.toMatch(LATIN);
  });

  it('accepts the days inside the range', () => {
    expect(parseInput(input, { date: '1980-01-01' })).toEqual({ date: '1980-01-01' });
    expect(parseInput(input, { date: '2026-12-04' })).toEqual({ date: '2026-12-04' });
  });

  it('refuses an act dated after today (2099-01-01) naming today, and a plan more than a year ahead naming the last day allowed', () => {
    expect(zhOf(() => assertNotFuture('2099-01-01', '2026-12-04'))).toMatch(/2099-01-01 晚于今天（2026-12-04）/);
    expect(daysAfter('2026-12-04', 366)).toBe('2027-12-05');
    expect(() => assertWithinPlanWindow('2027-12-05', '2026-12-04', 'deadline')).not.toThrow();
    expect(zhOf(() => assertWithinPlanWindow('2099-01-01', '2026-12-04', 'deadline'))).toMatch(/最晚可定在 2027-12-05/);
  });
});

describe('phone numbers', () => {
  it('takes mainland mobiles and landlines with an area code, as people write them', () => {
    for (const good of ['13800138000', '+86 138 0013 8000', '0832-1234567', '(0832)1234567', '010-12345678', '0832-1234567-801'])
      expect(isPhoneNumber(good), good).toBe(true);
  });

  it('refuses anything else, saying in Chinese what a phone number looks like', () => {
    for (const bad of ['abc', '12345', '1380013800', '23800138000', '1234567']) expect(isPhoneNumber(bad), bad).toBe(false);
    const voter = z.object({ voter: z.object({ name: text(100), phone: phone.nullable() }) });
    const error = refusal(voter, { voter: { name: '王五', phone: 'abc' } });
    expect(error.messages.zh).toBe('选民电话须为手机号（如 13800138000）或带区号的固定电话（如 0832-1234567）');
    expect(error.field).toBe('voter.phone');
  });
});

describe('a refused input in whole Chinese', () => {
  it('names fields in words and says what is wrong without the validator’s English', () => {
    const input = z.object({
      title: text(10),
      votersReceived: z.number().int().min(0),
      personId: id,
      participants: z.array(z.object({ personId: id })).max(1),
    });
    const error = refusal(input, { title: 'x'.repeat(11), votersReceived: -1, personId: 'nope', participants: [{ personId: 'x' }, { personId: 'y' }] });
    expect(error.messages.zh).not.toMatch(LATIN);
    expect(error.messages.zh).toContain('名称不能超过 10 个字符');
    expect(error.messages.zh).toContain('接待选民人数不能小于 0');
    expect(error.messages.zh).toContain('人员无法识别所选的对象，请重新选择');
    expect(refusal(z.object({ title: text(10) }), {}).messages.zh).toBe('名称必须填写');
    expect(fieldWords('participants.3.personId')).toBe('参加人员（第 4 项）的人员');
    expect(fieldWords('voter.phone')).toBe('选民电话');
  });
});
