/** Who and what can be chosen in a form: people and trainings, with attendance counts. */
import type { Projection } from '../engine/projection.ts';

export const directory: Projection = {
  name: 'directory',
  version: 2,
  handles: ['PersonRegistered', 'TrainingOrganised', 'TrainingAttendanceRecorded'],
  tables: (schema) => `
    CREATE TABLE ${schema}.people (
      person_id      uuid    PRIMARY KEY,
      name           text    NOT NULL,
      gender         text,
      public_servant boolean NOT NULL
    );
    CREATE TABLE ${schema}.trainings (
      activity_id   uuid    PRIMARY KEY,
      training_type text    NOT NULL,
      title         text    NOT NULL,
      date          date    NOT NULL,
      attendees     integer NOT NULL DEFAULT 0
    );
    CREATE INDEX ON ${schema}.trainings (date DESC);`,
  /** A page in three statements: new people, new trainings, then attendance counted per training. */
  async applyBatch(tx, schema, events) {
    const people = events.filter((event) => event.type === 'PersonRegistered').map((event) => event.data as Record<string, never>);
    const trainings = events.filter((event) => event.type === 'TrainingOrganised').map((event) => event.data as Record<string, never>);
    const attendance = new Map<string, number>();
    for (const event of events) {
      if (event.type !== 'TrainingAttendanceRecorded') continue;
      const { activityId } = event.data as { activityId: string };
      attendance.set(activityId, (attendance.get(activityId) ?? 0) + 1);
    }
    if (people.length > 0) {
      await tx.query(
        `INSERT INTO ${schema}.people (person_id, name, gender, public_servant) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::boolean[])`,
        [people.map((p) => p.personId), people.map((p) => p.name), people.map((p) => p.gender), people.map((p) => p.publicServant)],
      );
    }
    if (trainings.length > 0) {
      await tx.query(
        `INSERT INTO ${schema}.trainings (activity_id, training_type, title, date) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[])`,
        [trainings.map((t) => t.activityId), trainings.map((t) => t.trainingType), trainings.map((t) => t.title), trainings.map((t) => t.date)],
      );
    }
    if (attendance.size > 0) {
      await tx.query(
        `UPDATE ${schema}.trainings t SET attendees = t.attendees + u.n FROM unnest($1::uuid[], $2::int[]) u(activity_id, n) WHERE t.activity_id = u.activity_id`,
        [[...attendance.keys()], [...attendance.values()]],
      );
    }
  },
  async apply(tx, schema, event) {
    const data = event.data as Record<string, never>;
    switch (event.type) {
      case 'PersonRegistered':
        await tx.query(`INSERT INTO ${schema}.people (person_id, name, gender, public_servant) VALUES ($1, $2, $3, $4)`, [
          data.personId,
          data.name,
          data.gender,
          data.publicServant,
        ]);
        return;
      case 'TrainingOrganised':
        await tx.query(`INSERT INTO ${schema}.trainings (activity_id, training_type, title, date) VALUES ($1, $2, $3, $4)`, [
          data.activityId,
          data.trainingType,
          data.title,
          data.date,
        ]);
        return;
      case 'TrainingAttendanceRecorded':
        await tx.query(`UPDATE ${schema}.trainings SET attendees = attendees + 1 WHERE activity_id = $1`, [data.activityId]);
        return;
    }
  },
};
