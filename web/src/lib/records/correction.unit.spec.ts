import { describe, expect, it } from 'vitest';
import { changesOf, correctedData, editableFields, problemsOf, startValues } from './correction';
import { followUps, formHref, presetFromUrl } from './preset';

const RECORD = '00000000-0000-4000-8000-000000000001';
const visit = {
  recordId: RECORD,
  act: 'station-visit',
  personId: '00000000-0000-4000-8000-000000000002',
  mandateId: '00000000-0000-4000-8000-000000000003',
  date: '2026-11-02',
  declared: false,
  stationId: '00000000-0000-4000-8000-000000000004',
  summary: '接待群众来访',
};

describe('correcting a record where it is shown', () => {
  it('offers the record’s own fields in words, never its ids, filled as it stands', () => {
    const fields = editableFields(visit);
    expect(fields.map((field) => field.key)).toEqual(['date', 'summary']);
    expect(fields.map((field) => field.label.zh).join(' ')).not.toMatch(/编号|JSON|id/i);
    expect(startValues(fields, visit)).toEqual({ date: '2026-11-02', summary: '接待群众来访' });
    // Practical help: its kind is chosen from words.
    const help = editableFields({ ...visit, act: 'legal-advice', beneficiaries: 3, township: null });
    expect(help.map((field) => field.key)).toEqual(['act', 'date', 'summary', 'beneficiaries', 'township']);
  });

  it('keeps everything else, shows the change before and after, and checks the values', () => {
    const fields = editableFields(visit);
    const values = { date: '2026-11-03', summary: '接待群众来访' };
    expect(correctedData(visit, fields, values)).toEqual({ ...visit, date: '2026-11-03' });
    expect(changesOf(visit, fields, values)).toEqual([{ key: 'date', label: { zh: '日期', en: 'Date' }, before: '2026-11-02', after: '2026-11-03' }]);
    expect(changesOf(visit, fields, startValues(fields, visit))).toEqual([]);
    expect(problemsOf(fields, { date: '2026-12-31', summary: '' }, '2026-12-04')).toEqual({
      date: { zh: '日期不能晚于今天（2026-12-04）', en: 'The date cannot be after today (2026-12-04)' },
      summary: { zh: '请填写履职内容', en: 'What was done is required' },
    });
  });
});

describe('following a record up from its row', () => {
  it('opens the attendance, the suggestion’s handling and the pairing’s next activity with the record in words', () => {
    const ups = followUps({ act: 'suggestion', date: '2026-03-01', streamId: `suggestion:${RECORD}`, summary: '关于村道硬化的建议' }, '2026-03-01 提出建议');
    expect(ups.map((up) => up.id)).toEqual(['suggestion']);
    const params = new URL(ups[0]!.href, 'http://x').searchParams;
    expect(presetFromUrl(params)).toEqual({ suggestionId: RECORD, suggestionLabel: '2026-03-01 提出建议「关于村道硬化的建议」' });
    expect(followUps({ act: 'inspection', date: '2026-03-01', activityId: RECORD }, '视察').map((up) => up.id)).toEqual(['attendance']);
    expect(followUps({ act: 'pairing-activity', date: '2026-03-01', streamId: `pairing:${RECORD}` }, '帮带').map((up) => up.id)).toEqual(['pairing']);
    expect(formHref('register-opinion', { station: 's', reception: 'r', on: '2026-12-01' })).toBe(
      '/record?form=register-opinion&station=s&reception=r&on=2026-12-01',
    );
  });
});
