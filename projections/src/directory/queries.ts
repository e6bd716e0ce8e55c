import type { Queryable } from '@yingpan/db';
import type { Level, Team, TrainingType } from '@yingpan/domain';
import { schemaOf } from '../engine/projection.ts';
import { Params } from '../facts/as-of.ts';
import { mandates } from '../mandates/projection.ts';
import { asPinyinQuery } from './pinyin.ts';
import { directory } from './projection.ts';

const schema = schemaOf(directory);
const PERSON_COLUMNS = `person_id AS "personId", name, gender, public_servant AS "publicServant", initials`;

export interface PersonRow {
  personId: string;
  name: string;
  gender: 'male' | 'female' | null;
  publicServant: boolean;
  /** Lower-case pinyin initials of the name, e.g. `zs` for 张三. */
  initials: string;
}

export interface TrainingRow {
  activityId: string;
  trainingType: TrainingType;
  title: string;
  date: string;
  attendees: number;
}

export async function listPeople(db: Queryable, limit = 500): Promise<PersonRow[]> {
  const { rows } = await db.query<PersonRow>(`SELECT ${PERSON_COLUMNS} FROM ${schema}.people ORDER BY name LIMIT $1`, [limit]);
  return rows;
}

/** One person of the directory, or null. */
export async function findPerson(db: Queryable, personId: string): Promise<PersonRow | null> {
  const { rows } = await db.query<PersonRow>(`SELECT ${PERSON_COLUMNS} FROM ${schema}.people WHERE person_id::text = $1`, [personId]);
  return rows[0] ?? null;
}

const TRAINING_COLUMNS = `activity_id AS "activityId", training_type AS "trainingType", title, to_char(date, 'YYYY-MM-DD') AS date, attendees`;

export async function listTrainings(db: Queryable, limit = 200): Promise<TrainingRow[]> {
  const { rows } = await db.query<TrainingRow>(`SELECT ${TRAINING_COLUMNS} FROM ${schema}.trainings ORDER BY date DESC, title LIMIT $1`, [limit]);
  return rows;
}

/** One training by its activity id, or null. */
export async function findTraining(db: Queryable, activityId: string): Promise<TrainingRow | null> {
  const { rows } = await db.query<TrainingRow>(`SELECT ${TRAINING_COLUMNS} FROM ${schema}.trainings WHERE activity_id = $1::uuid`, [activityId]);
  return rows[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Searching the roster, whatever its size (the people pickers)

/** What a picker asks for: text typed, and which seats count. */
export interface PeopleSearch {
  /**
   * Characters inside a name (三 finds 张三), or pinyin: initials (`zs`) or whole syllables from the
   * start (`zhangs`). Empty or absent: everyone the filters let through.
   */
  query?: string | null;
  /** Only people holding a seat that matches every filter given (one and the same seat). */
  team?: Team | null;
  township?: string | null;
  level?: Level | null;
  termId?: string | null;
  /** Only people whose matching seat was held on this day (YYYY-MM-DD). */
  validOn?: string | null;
}

/** A person found, with how well the name matched: 0 exactly, 1 from its start, 2 inside it. */
export interface PersonMatch extends PersonRow {
  rank: number;
}

/** Where a page ends: the last match's rank, name and id (results are ordered by them). */
export type SearchCursor = [rank: number, name: string, personId: string];

/** The search as SQL: the condition on `p` (rm_directory.people), and the rank of a match (its parameters added only when asked for). */
function searchSql(search: PeopleSearch, add: (value: unknown) => string): { where: string; rank: () => string } {
  const conditions: string[] = [];
  let rank = () => '0';
  const text = search.query?.trim() ?? '';
  const spoken = asPinyinQuery(text);
  if (spoken !== null) {
    // Indexed prefix searches (text_pattern_ops); the text holds only [a-z0-9], so LIKE needs no escaping.
    const prefix = `${add(`${spoken}%`)}::text`;
    conditions.push(`(p.initials LIKE ${prefix} OR p.pinyin LIKE ${prefix})`);
    rank = () => {
      const exact = `${add(spoken)}::text`;
      return `CASE WHEN p.initials = ${exact} OR p.pinyin = ${exact} THEN 0 WHEN p.initials LIKE ${prefix} THEN 1 ELSE 2 END`;
    };
  } else if (text !== '') {
    // The GIN index on the name's characters finds the names holding every character typed; strpos keeps those holding them in order.
    const lowered = `${add(text.toLowerCase())}::text`;
    conditions.push(`string_to_array(lower(p.name), NULL) @> string_to_array(${lowered}, NULL) AND strpos(lower(p.name), ${lowered}) > 0`);
    rank = () => `CASE WHEN lower(p.name) = ${lowered} THEN 0 WHEN strpos(lower(p.name), ${lowered}) = 1 THEN 1 ELSE 2 END`;
  }
  const seat: string[] = [];
  if (search.team) seat.push(`m.team = ${add(search.team)}::text`);
  if (search.township) seat.push(`m.township = ${add(search.township)}::text`);
  if (search.level) seat.push(`m.level = ${add(search.level)}::text`);
  if (search.termId) seat.push(`m.term_id = ${add(search.termId)}::uuid`);
  if (search.validOn) {
    const day = add(search.validOn);
    seat.push(`m.starts_on <= ${day}::date AND (m.valid_to IS NULL OR m.valid_to >= ${day}::date)`);
  }
  if (seat.length > 0) {
    conditions.push(`EXISTS (SELECT 1 FROM ${schemaOf(mandates)}.mandate_spans m WHERE m.person_id = p.person_id AND ${seat.join(' AND ')})`);
  }
  return { where: conditions.join(' AND ') || 'TRUE', rank };
}

/**
 * A page of the people a search finds, best matches first (exact name or initials, then from the
 * start, then inside), then by name and id; `after` continues from a page's last match. Asks for
 * one more than `first` to know whether another page follows.
 */
export async function searchPeople(
  db: Queryable,
  search: PeopleSearch,
  page: { first: number; after?: SearchCursor | null },
): Promise<{ matches: PersonMatch[]; hasNextPage: boolean }> {
  const params = new Params();
  const { where, rank } = searchSql(search, params.add);
  const rankSql = rank();
  const after = page.after
    ? `WHERE (s.rank, s.name, s.person_id) > (${params.add(page.after[0])}::int, ${params.add(page.after[1])}::text, ${params.add(page.after[2])}::uuid)`
    : '';
  const { rows } = await db.query<PersonMatch & { person_id?: string }>(
    `SELECT s."personId", s.name, s.gender, s."publicServant", s.initials, s.rank
       FROM (SELECT p.person_id, p.person_id AS "personId", p.name, p.gender, p.public_servant AS "publicServant", p.initials, ${rankSql} AS rank
               FROM ${schema}.people p WHERE ${where}) s
       ${after}
      ORDER BY s.rank, s.name, s.person_id
      LIMIT ${params.add(page.first + 1)}`,
    params.values,
  );
  return { matches: rows.slice(0, page.first), hasNextPage: rows.length > page.first };
}

/** How many people a search finds, every page together. */
export async function countPeople(db: Queryable, search: PeopleSearch): Promise<number> {
  const params = new Params();
  const { where } = searchSql(search, params.add);
  const { rows } = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${schema}.people p WHERE ${where}`, params.values);
  return rows[0]!.count;
}

/**
 * The people bearing each of these names exactly (a sign-in sheet's names): namesakes all come,
 * by id; a name nobody bears maps to none. One indexed statement whatever the number of names.
 */
export async function peopleNamed(db: Queryable, names: readonly string[]): Promise<Map<string, PersonRow[]>> {
  const wanted = [...new Set(names.map((name) => name.trim()).filter(Boolean))];
  const byName = new Map<string, PersonRow[]>(wanted.map((name) => [name, []]));
  if (wanted.length === 0) return byName;
  const { rows } = await db.query<PersonRow>(`SELECT ${PERSON_COLUMNS} FROM ${schema}.people WHERE name = ANY($1::text[]) ORDER BY name, person_id`, [wanted]);
  for (const row of rows) byName.get(row.name)?.push(row);
  return byName;
}
