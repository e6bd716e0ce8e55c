import type { Queryable } from '@yingpan/db';
import { TRAINING_TYPES, type TrainingType } from '@yingpan/domain';
import { schemaOf } from '../engine/projection.ts';
import { trainingStats } from './projection.ts';

const schema = schemaOf(trainingStats);

export interface TrainingTypeCount {
  trainingType: TrainingType;
  personTimes: number;
}

/** Person-times per training type (every type, zero included), optionally for one year. */
export async function trainingPersonTimes(db: Queryable, year?: number): Promise<TrainingTypeCount[]> {
  const { rows } = await db.query<{ training_type: TrainingType; person_times: number }>(
    `SELECT training_type, sum(person_times)::int AS person_times FROM ${schema}.person_times
      WHERE $1::int IS NULL OR year = $1 GROUP BY training_type`,
    [year ?? null],
  );
  const counts = new Map(rows.map((row) => [row.training_type, row.person_times]));
  return TRAINING_TYPES.map((trainingType) => ({ trainingType, personTimes: counts.get(trainingType) ?? 0 }));
}
