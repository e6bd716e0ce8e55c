import { describe, expect, it } from 'vitest';
import { describedBy, fieldIds, listValue, textValue } from './field-props';

describe('a field’s wiring', () => {
  it('names its input, problem and hint after the form and the field', () => {
    expect(fieldIds('form-station-visit', 'date')).toEqual({
      input: 'form-station-visit-date',
      error: 'form-station-visit-date-error',
      hint: 'form-station-visit-date-hint',
    });
  });

  it('is described by its problem when shown, then its hint, else by nothing', () => {
    const ids = fieldIds('f', 'date');
    expect(describedBy(ids, true, true)).toBe('f-date-error f-date-hint');
    expect(describedBy(ids, false, true)).toBe('f-date-hint');
    expect(describedBy(ids, true, false)).toBe('f-date-error');
    expect(describedBy(ids, false, false)).toBeUndefined();
  });

  it('reads a value as text or as a list of texts, whatever it holds', () => {
    expect(textValue('2026-06-01')).toBe('2026-06-01');
    expect(textValue(null)).toBe('');
    expect(textValue(['a'])).toBe('');
    expect(listValue(['INSPECTION', 'RESEARCH'])).toEqual(['INSPECTION', 'RESEARCH']);
    expect(listValue('INSPECTION')).toEqual([]);
    expect(listValue([{ personId: 'p', name: '张三', mandates: [], mandateId: null }])).toEqual([]);
  });
});
