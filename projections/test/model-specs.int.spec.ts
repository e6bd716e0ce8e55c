/**
 * Read models as specifications: given these events, these rows (src/engine/spec.ts). Each model is
 * built on a fresh in-memory PGlite, event by event and again as one page, which must agree.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { given, project, type ProjectedModel } from '../src/engine/spec.ts';
import { facts, trainingStats } from '../src/index.ts';

const person = '11111111-1111-4111-8111-111111111111';
const mandate = '22222222-2222-4222-8222-222222222222';
const station = '33333333-3333-4333-8333-333333333333';
const training = '44444444-4444-4444-8444-444444444444';
const visit = '55555555-5555-4555-8555-555555555555';

const stationVisit = (summary: string, declared: boolean) =>
  given(
    'StationVisitRecorded',
    { recordId: visit, act: 'station-visit', personId: person, mandateId: mandate, date: '2026-03-02', declared, stationId: station, summary },
    { streamId: `station:${station}` },
  );

const attendance = (recordId: string, date: string) =>
  given(
    'TrainingAttendanceRecorded',
    { recordId, act: 'training', personId: person, mandateId: mandate, date, declared: false, activityId: training, trainingType: 'station-study' },
    { streamId: `activity:${training}` },
  );

let model: ProjectedModel | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

describe('the facts model', () => {
  const VERSION = ['version', 'status', 'corrected', 'study', 'valid_to_position'];

  it('keeps a declaration, its approval and its correction as three versions, the study visit decided on each one’s data', async () => {
    model = await project(facts, [
      stationVisit('接待选民，收集意见', true),
      given('RecordApproved', { recordId: visit }, { streamId: `station:${station}` }),
      given(
        'RecordCorrected',
        {
          recordId: visit,
          reason: '内容记错',
          corrected: {
            recordId: visit,
            act: 'station-visit',
            personId: person,
            mandateId: mandate,
            date: '2026-03-02',
            declared: true,
            stationId: station,
            summary: '进站学习代表法',
          },
        },
        { streamId: `station:${station}` },
      ),
    ]);
    expect(await model.rows('record_versions', VERSION)).toEqual([
      { version: 1, status: 'pending', corrected: false, study: false, valid_to_position: 2 },
      { version: 2, status: 'approved', corrected: false, study: false, valid_to_position: 3 },
      { version: 3, status: 'approved', corrected: true, study: true, valid_to_position: null },
    ]);
    expect(await model.rows('approved_counts', ['act', 'n'])).toEqual([{ act: 'station-visit', n: 1 }]);
  });

  it('counts nothing for a record retracted after its approval, yet keeps every version', async () => {
    model = await project(facts, [
      stationVisit('进站履职', false),
      given('RecordRetracted', { recordId: visit, reason: '重复登记' }, { streamId: `station:${station}` }),
    ]);
    expect(await model.rows('record_versions', ['version', 'status'])).toEqual([
      { version: 1, status: 'approved' },
      { version: 2, status: 'retracted' },
    ]);
    expect(await model.rows('approved_counts', ['act', 'n'])).toEqual([{ act: 'station-visit', n: 0 }]);
    expect(await model.rows('approved_totals', ['act', 'n'])).toEqual([{ act: 'station-visit', n: 0 }]);
    expect(await model.rows('month_totals', ['n', 'persons'])).toEqual([{ n: 0, persons: 0 }]);
  });

  describe('each month’s records and persons', () => {
    const other = '11111111-1111-4111-8111-111111111112';
    const visits = ['55555555-5555-4555-8555-555555555561', '55555555-5555-4555-8555-555555555562'];
    const march = [
      ...visits.map((recordId, index) =>
        given(
          'StationVisitRecorded',
          {
            recordId,
            act: 'station-visit',
            personId: person,
            mandateId: mandate,
            date: `2026-03-0${index + 1}`,
            declared: false,
            stationId: station,
            summary: '进站履职',
          },
          { streamId: `station:${station}` },
        ),
      ),
      given(
        'TrainingAttendanceRecorded',
        {
          recordId: '66666666-6666-4666-8666-666666666667',
          act: 'training',
          personId: other,
          mandateId: null,
          date: '2026-03-20',
          declared: false,
          activityId: training,
          trainingType: 'expert-lecture',
        },
        { streamId: `activity:${training}` },
      ),
    ];
    const retract = (recordId: string) => given('RecordRetracted', { recordId, reason: '重复登记' }, { streamId: `station:${station}` });
    const MONTH = ["to_char(period, 'YYYY-MM-DD') AS period", 'n', 'persons'];

    it('counts a person with two records in a month once, and one without a mandate too', async () => {
      model = await project(facts, march);
      expect(await model.rows('month_totals', MONTH)).toEqual([{ period: '2026-03-01', n: 3, persons: 2 }]);
      // The totals per act and mandate leave the record without a mandate to the per-day counters.
      expect(await model.rows('approved_totals', ['act', 'mandate_id', 'n'])).toEqual([{ act: 'station-visit', mandate_id: mandate, n: 2 }]);
    });

    it('keeps the person while one of their records is left, and drops them with the last', async () => {
      model = await project(facts, [...march, retract(visits[0]!)]);
      expect(await model.rows('month_totals', MONTH)).toEqual([{ period: '2026-03-01', n: 2, persons: 2 }]);
      await model.close();
      model = await project(facts, [...march, retract(visits[0]!), retract(visits[1]!)]);
      expect(await model.rows('month_totals', MONTH)).toEqual([{ period: '2026-03-01', n: 1, persons: 1 }]);
      expect(await model.rows('approved_months', ['person_id', 'n'])).toEqual([
        { person_id: person, n: 0 },
        { person_id: other, n: 1 },
      ]);
    });
  });

  it('counts a record without a mandate by its day, under the nil mandate', async () => {
    const recordId = '66666666-6666-4666-8666-666666666666';
    model = await project(facts, [
      given(
        'TrainingAttendanceRecorded',
        {
          recordId,
          act: 'training',
          personId: person,
          mandateId: null,
          date: '2026-05-20',
          declared: false,
          activityId: training,
          trainingType: 'expert-lecture',
        },
        { streamId: `activity:${training}` },
      ),
    ]);
    expect(await model.rows('approved_counts', ["to_char(period, 'YYYY-MM-DD') AS period", 'mandate_id', 'n'])).toEqual([
      { period: '2026-05-20', mandate_id: '00000000-0000-0000-0000-000000000000', n: 1 },
    ]);
  });
});

describe('the training person-times model', () => {
  it('counts each attendance once in the year of its training', async () => {
    model = await project(trainingStats, [
      attendance('77777777-7777-4777-8777-777777777771', '2025-06-01'),
      attendance('77777777-7777-4777-8777-777777777772', '2025-06-01'),
      attendance('77777777-7777-4777-8777-777777777773', '2026-06-01'),
    ]);
    expect(await model.rows('person_times', ['training_type', 'year', 'person_times'])).toEqual([
      { training_type: 'station-study', year: 2025, person_times: 2 },
      { training_type: 'station-study', year: 2026, person_times: 1 },
    ]);
  });

  it('counts a training on the morning of New Year’s Day in China Standard Time in the new year', async () => {
    model = await project(trainingStats, [{ ...attendance('77777777-7777-4777-8777-777777777774', '2026-01-01'), occurredAt: '2026-01-01T07:30:00+08:00' }]);
    expect(await model.rows('person_times', ['year', 'person_times'])).toEqual([{ year: 2026, person_times: 1 }]);
  });
});
