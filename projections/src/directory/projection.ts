/** Who and what can be chosen in a form: people and trainings, with attendance counts. */
import type { Projection } from '../engine/projection.ts';

export const directory: Projection = {
  name: 'directory',
  version: 1,
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
