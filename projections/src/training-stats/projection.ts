/** Person-times (人次) of training attendance per training type and year. */
import { type EventOfType, localDate } from '@yingpan/domain';
import { defineProjection, type ProjectedEvent } from '../engine/projection.ts';

/** The county year of the training: its date, or (attendances stored before they carried one) the day it happened in China Standard Time. */
const yearOf = (event: ProjectedEvent<EventOfType<'TrainingAttendanceRecorded'>>): number =>
  Number((event.data.date ?? localDate(event.metadata.occurredAt)).slice(0, 4));

export const trainingStats = defineProjection({
  name: 'training_stats',
  version: 3,
  handles: ['TrainingAttendanceRecorded'],
  tables: (schema) => `
    CREATE TABLE ${schema}.person_times (
      training_type text    NOT NULL,
      year          integer NOT NULL,
      person_times  integer NOT NULL,
      PRIMARY KEY (training_type, year)
    );`,
  /** The page's person-times summed per type and year, then one upsert. */
  async applyBatch(tx, schema, events) {
    const counts = new Map<string, { type: string; year: number; n: number }>();
    for (const event of events) {
      const { trainingType } = event.data;
      const year = yearOf(event);
      const key = `${trainingType}|${year}`;
      const entry = counts.get(key) ?? { type: trainingType, year, n: 0 };
      entry.n++;
      counts.set(key, entry);
    }
    if (counts.size === 0) return;
    const rows = [...counts.values()];
    await tx.query(
      `INSERT INTO ${schema}.person_times (training_type, year, person_times)
         SELECT * FROM unnest($1::text[], $2::int[], $3::int[])
       ON CONFLICT (training_type, year) DO UPDATE SET person_times = ${schema}.person_times.person_times + EXCLUDED.person_times`,
      [rows.map((row) => row.type), rows.map((row) => row.year), rows.map((row) => row.n)],
    );
  },
  async apply(tx, schema, event) {
    switch (event.type) {
      case 'TrainingAttendanceRecorded': {
        const { trainingType } = event.data;
        await tx.query(
          `INSERT INTO ${schema}.person_times (training_type, year, person_times) VALUES ($1, $2, 1)
           ON CONFLICT (training_type, year) DO UPDATE SET person_times = ${schema}.person_times.person_times + 1`,
          [trainingType, yearOf(event)],
        );
      }
    }
  },
});
