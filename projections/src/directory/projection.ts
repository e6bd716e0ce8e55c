/**
 * Who and what can be chosen in a form: people and trainings, with attendance counts. Each person
 * carries the pinyin of their name, worked out once here (pinyin-pro) so that a picker's keystroke
 * is an indexed lookup: `initials` ("zs" for 张三) and `pinyin` ("zhangsan") serve prefix searches
 * through their text_pattern_ops indexes, and the name's characters (an expression GIN index on
 * `string_to_array(lower(name), NULL)`) narrow a search for characters inside a name before strpos checks
 * their order.
 */
import { defineProjection } from '../engine/projection.ts';
import { namePinyin } from './pinyin.ts';

export const directory = defineProjection({
  name: 'directory',
  version: 3,
  handles: ['PersonRegistered', 'TrainingOrganised', 'TrainingAttendanceRecorded'],
  tables: (schema) => `
    CREATE TABLE ${schema}.people (
      person_id      uuid    PRIMARY KEY,
      name           text    NOT NULL,
      gender         text,
      public_servant boolean NOT NULL,
      initials       text    NOT NULL,  -- lower-case pinyin initials, e.g. zs for 张三
      pinyin         text    NOT NULL   -- lower-case pinyin without tones or spaces, e.g. zhangsan
    );
    CREATE INDEX ON ${schema}.people (name, person_id);
    CREATE INDEX ON ${schema}.people (initials text_pattern_ops);
    CREATE INDEX ON ${schema}.people (pinyin text_pattern_ops);
    CREATE INDEX ON ${schema}.people USING gin (string_to_array(lower(name), NULL));
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
    const people = events.flatMap((event) => (event.type === 'PersonRegistered' ? [event.data] : []));
    const trainings = events.flatMap((event) => (event.type === 'TrainingOrganised' ? [event.data] : []));
    const attendance = new Map<string, number>();
    for (const event of events) {
      if (event.type !== 'TrainingAttendanceRecorded') continue;
      const { activityId } = event.data;
      attendance.set(activityId, (attendance.get(activityId) ?? 0) + 1);
    }
    if (people.length > 0) {
      const spoken = people.map((p) => namePinyin(p.name));
      await tx.query(
        `INSERT INTO ${schema}.people (person_id, name, gender, public_servant, initials, pinyin)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::text[])`,
        [
          people.map((p) => p.personId),
          people.map((p) => p.name),
          people.map((p) => p.gender),
          people.map((p) => p.publicServant),
          spoken.map((s) => s.initials),
          spoken.map((s) => s.pinyin),
        ],
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
    switch (event.type) {
      case 'PersonRegistered': {
        const { data } = event;
        const { initials, pinyin } = namePinyin(data.name);
        await tx.query(`INSERT INTO ${schema}.people (person_id, name, gender, public_servant, initials, pinyin) VALUES ($1, $2, $3, $4, $5, $6)`, [
          data.personId,
          data.name,
          data.gender,
          data.publicServant,
          initials,
          pinyin,
        ]);
        return;
      }
      case 'TrainingOrganised':
        await tx.query(`INSERT INTO ${schema}.trainings (activity_id, training_type, title, date) VALUES ($1, $2, $3, $4)`, [
          event.data.activityId,
          event.data.trainingType,
          event.data.title,
          event.data.date,
        ]);
        return;
      case 'TrainingAttendanceRecorded':
        await tx.query(`UPDATE ${schema}.trainings SET attendees = attendees + 1 WHERE activity_id = $1`, [event.data.activityId]);
        return;
    }
  },
});
