import type { Queryable } from '@yingpan/db';
import type { TrainingType } from '@yingpan/domain';
import { schemaOf } from '../engine/projection.ts';
import { directory } from './projection.ts';

const schema = schemaOf(directory);

export interface PersonRow {
  personId: string;
  name: string;
  gender: 'male' | 'female' | null;
  publicServant: boolean;
}

export interface TrainingRow {
  activityId: string;
  trainingType: TrainingType;
  title: string;
  date: string;
  attendees: number;
}

export async function listPeople(db: Queryable, limit = 500): Promise<PersonRow[]> {
  const { rows } = await db.query<PersonRow>(
    `SELECT person_id AS "personId", name, gender, public_servant AS "publicServant" FROM ${schema}.people ORDER BY name LIMIT $1`,
    [limit],
  );
  return rows;
}

/** One person of the directory, or null. */
export async function findPerson(db: Queryable, personId: string): Promise<PersonRow | null> {
  const { rows } = await db.query<PersonRow>(
    `SELECT person_id AS "personId", name, gender, public_servant AS "publicServant" FROM ${schema}.people WHERE person_id::text = $1`,
    [personId],
  );
  return rows[0] ?? null;
}

export async function listTrainings(db: Queryable, limit = 200): Promise<TrainingRow[]> {
  const { rows } = await db.query<TrainingRow>(
    `SELECT activity_id AS "activityId", training_type AS "trainingType", title, to_char(date, 'YYYY-MM-DD') AS date, attendees
       FROM ${schema}.trainings ORDER BY date DESC, title LIMIT $1`,
    [limit],
  );
  return rows;
}
