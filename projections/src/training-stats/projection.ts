/** Person-times (人次) of training attendance per training type and year. */
import type { Projection } from '../engine/projection.ts';

export const trainingStats: Projection = {
  name: 'training_stats',
  version: 1,
  handles: ['TrainingAttendanceRecorded'],
  tables: (schema) => `
    CREATE TABLE ${schema}.person_times (
      training_type text    NOT NULL,
      year          integer NOT NULL,
      person_times  integer NOT NULL,
      PRIMARY KEY (training_type, year)
    );`,
  async apply(tx, schema, event) {
    switch (event.type) {
      case 'TrainingAttendanceRecorded': {
        const { trainingType } = event.data as { trainingType: string };
        await tx.query(
          `INSERT INTO ${schema}.person_times (training_type, year, person_times) VALUES ($1, $2, 1)
           ON CONFLICT (training_type, year) DO UPDATE SET person_times = ${schema}.person_times.person_times + 1`,
          [trainingType, new Date(event.metadata.occurredAt).getUTCFullYear()],
        );
      }
    }
  },
};
