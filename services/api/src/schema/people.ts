/**
 * People and their mandates: a person is stable (rm_directory.people), a mandate — a seat or post
 * held in one term — is not (rm_mandates). Every act is by a person acting in a mandate.
 *
 * Mandates and people are batch-loaded per request, so a page of N
 * people with their mandates costs the same few SQL statements whatever N is.
 */
import { createContextCache } from '@pothos/core';
import { resolveCursorConnection } from '@pothos/plugin-relay';
import type { Queryable } from '@yingpan/db';
import type { Level as LevelValue, MandateKind as MandateKindValue, Team as TeamValue } from '@yingpan/domain';
import { directory, mandates, Params, schemaOf, termsInView, type AsOf, type PersonRow, type TermRow } from '@yingpan/projections';
import DataLoader from 'dataloader';
import type { Context } from '../context.ts';
import { builder, MAX_PAGE_SIZE } from './builder.ts';
import { NodeRef, nodeType } from './node.ts';
import { AsOfInput } from './as-of.ts';
import { AS_OF, checkPageArgs, invalidArgument, isUuid, Level, MandateKind, readAsOf, Team } from './common.ts';

export const PEOPLE = `${schemaOf(directory)}.people`;
export const MANDATES = schemaOf(mandates);

export interface MandateRow {
  mandateId: string;
  personId: string;
  termId: string;
  termNumber: number;
  kind: MandateKindValue;
  team: TeamValue;
  level: LevelValue | null;
  district: string | null;
  township: string | null;
  portfolio: string | null;
  publicServant: boolean;
  byElection: boolean;
  startsOn: string;
  endedOn: string | null;
  endReason: string | null;
  validTo: string | null;
  plannedEndOn: string;
}

// ---------------------------------------------------------------------------------------------
// Loading

export const PERSON_COLUMNS = `person_id AS "personId", name, gender, public_servant AS "publicServant", initials`;

/** People by id, in one statement. */
async function loadPeople(db: Queryable, ids: readonly string[]): Promise<(PersonRow | null)[]> {
  const valid = ids.filter(isUuid);
  const { rows } = valid.length
    ? await db.query<PersonRow>(`SELECT ${PERSON_COLUMNS} FROM ${PEOPLE} WHERE person_id = ANY($1::uuid[])`, [valid])
    : { rows: [] };
  const byId = new Map(rows.map((row) => [row.personId, row]));
  return ids.map((id) => byId.get(id) ?? null);
}

/**
 * A condition that a term or mandate event is seen in the view (as rm_mandates' own readers do):
 * now: recorded; happened on D: and dated by D; known at P (or instant T): recorded by P.
 */
function seenIn(asOf: AsOf, add: (value: unknown) => string) {
  return (positionColumn: string, dateColumn: string) => {
    switch (asOf.view) {
      case 'now':
        return `${positionColumn} IS NOT NULL`;
      case 'happened':
        return `(${positionColumn} IS NOT NULL AND ${dateColumn} <= ${add(asOf.date)}::date)`;
      case 'known': {
        const position =
          'position' in asOf
            ? add(asOf.position)
            : `(SELECT coalesce(max(c.position), 0) FROM ${MANDATES}.clock c WHERE c.recorded_at <= ${add(asOf.at)}::timestamptz)`;
        return `${positionColumn} <= ${position}`;
      }
    }
  };
}

/** Mandates seen in the view, in one statement: those of some people, or some mandates by id. */
async function selectMandates(db: Queryable, which: { personIds: readonly string[] } | { mandateIds: readonly string[] }, asOf: AsOf): Promise<MandateRow[]> {
  const params = new Params();
  const [column, ids] = 'personIds' in which ? ['m.person_id', which.personIds] : ['m.mandate_id', which.mandateIds];
  const seen = seenIn(asOf, params.add);
  const ended = seen('m.ended_position', 'm.ended_on');
  const closed = seen('t.closed_position', 't.closed_on');
  const day = (sql: string) => `to_char(${sql}, 'YYYY-MM-DD')`;
  const { rows } = await db.query<MandateRow>(
    `SELECT m.mandate_id AS "mandateId", m.person_id AS "personId", m.term_id AS "termId", t.number AS "termNumber", m.kind, m.team,
            m.level, m.district, m.township, m.portfolio, m.public_servant AS "publicServant", m.by_election AS "byElection",
            ${day('m.starts_on')} AS "startsOn",
            ${day(`CASE WHEN ${ended} THEN m.ended_on END`)} AS "endedOn",
            CASE WHEN ${ended} THEN m.end_reason END AS "endReason",
            ${day(`coalesce(CASE WHEN ${ended} THEN m.ended_on END, CASE WHEN ${closed} THEN t.closed_on END)`)} AS "validTo",
            ${day('t.planned_end_on')} AS "plannedEndOn"
       FROM ${MANDATES}.mandates m JOIN ${MANDATES}.terms t USING (term_id)
      WHERE ${column} = ANY(${params.add(ids.filter(isUuid))}::uuid[]) AND ${seen('m.started_position', 'm.starts_on')}
      ORDER BY m.starts_on, m.mandate_id`,
    params.values,
  );
  return rows;
}

/** Every mandate of some people seen in the view, by person. */
async function loadMandates(db: Queryable, personIds: readonly string[], asOf: AsOf): Promise<MandateRow[][]> {
  const rows = await selectMandates(db, { personIds }, asOf);
  const byPerson = new Map<string, MandateRow[]>();
  for (const row of rows) byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), row]);
  return personIds.map((id) => byPerson.get(id) ?? []);
}

/** Per request: people by id. */
export const personLoader = createContextCache((context: Context) => new DataLoader<string, PersonRow | null>((ids) => loadPeople(context.db, ids)));

/** Per request: mandates by id, as seen now (for `node`). */
const mandateByIdLoader = createContextCache(
  (context: Context) =>
    new DataLoader<string, MandateRow | null>(async (ids) => {
      const byId = new Map((await selectMandates(context.db, { mandateIds: ids }, { view: 'now' })).map((row) => [row.mandateId, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
);

/** Per request and view of the past: mandates by person. */
export const mandateLoaders = createContextCache((context: Context) => {
  const loaders = new Map<string, DataLoader<string, MandateRow[]>>();
  return (asOf: AsOf) => {
    const key = JSON.stringify(asOf);
    let loader = loaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, MandateRow[]>((ids) => loadMandates(context.db, ids, asOf));
      loaders.set(key, loader);
    }
    return loader;
  };
});

// ---------------------------------------------------------------------------------------------
// Types

export const PersonType = builder.objectRef<PersonRow>('Person').implement({
  description: 'A person known to the congress; stable across terms.',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id(
      nodeType<PersonRow>(
        'Person',
        (person) => person.personId,
        (context, personId) => personLoader(context).load(personId),
      ),
    ),
    personId: t.exposeID('personId', { description: 'The person: commands, page addresses and the other types’ `personId` take it.' }),
    name: t.exposeString('name'),
    publicServant: t.exposeBoolean('publicServant', { description: 'Public-servant (公职) deputy or not.' }),
  }),
});

export const MandateRef = builder.objectRef<MandateRow>('Mandate').implement({
  description: 'A seat or post (任职) one person held in one term (届): stable people, changing mandates.',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id(
      nodeType<MandateRow>(
        'Mandate',
        (mandate) => mandate.mandateId,
        (context, mandateId) => mandateByIdLoader(context).load(mandateId),
      ),
    ),
    mandateId: t.exposeID('mandateId', { description: 'The mandate: commands and `predecessorRecord` take it.' }),
    personId: t.exposeID('personId', { description: 'Who held it.' }),
    person: t.field({
      type: PersonType,
      nullable: true,
      description: 'Who held it (null if the person is not in the directory).',
      resolve: (row, _, context) => personLoader(context).load(row.personId),
    }),
    termId: t.exposeID('termId', { description: 'The term (届) it belongs to.' }),
    termNumber: t.exposeInt('termNumber', { description: 'The term’s ordinal, e.g. 18 for 第十八届.' }),
    kind: t.field({ type: MandateKind, description: 'The kind of seat or post.', resolve: (row) => row.kind }),
    team: t.field({ type: Team, description: 'Which of the four teams (四支队伍) it belongs to.', resolve: (row) => row.team }),
    level: t.field({ type: Level, nullable: true, description: 'Deputies only: the level of congress that elected them (五级).', resolve: (row) => row.level }),
    district: t.exposeString('district', { nullable: true, description: 'Deputies only: the electoral district (选区).' }),
    township: t.exposeString('township', { nullable: true, description: 'The township or street (乡镇/街道) the seat belongs to, if any.' }),
    portfolio: t.exposeString('portfolio', { nullable: true, description: 'The committee portfolio (分管工作) of the post, if any.' }),
    publicServant: t.exposeBoolean('publicServant', { description: 'Held as a public servant (公职) or not.' }),
    byElection: t.exposeBoolean('byElection', { description: 'Won at a by-election (补选), starting mid-term.' }),
    startsOn: t.expose('startsOn', { type: 'Date', description: 'First day held (YYYY-MM-DD).' }),
    endedOn: t.expose('endedOn', {
      type: 'Date',
      nullable: true,
      description: 'Its own early end (resignation, recall, death, transfer) as seen in the view; null when none.',
    }),
    endReason: t.exposeString('endReason', { nullable: true, description: 'Why it ended early: resignation, recall, death or transfer.' }),
    validTo: t.expose('validTo', {
      type: 'Date',
      nullable: true,
      description: 'The last day held as seen in the view: its own end, else its term’s close; null while still running.',
    }),
    plannedEndOn: t.expose('plannedEndOn', { type: 'Date', description: 'The day its term is due to end.' }),
  }),
});

export const TermRef = builder.objectRef<TermRow>('Term').implement({
  description: 'A term (届) of the congress as seen in the view: most deputies and staff change from one to the next (换届).',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id(
      nodeType<TermRow>(
        'Term',
        (term) => term.termId,
        async (context, termId) => (await termsInView(context.db, { view: 'now' })).find((term) => term.termId === termId),
      ),
    ),
    termId: t.exposeID('termId', { description: 'The term.' }),
    number: t.exposeInt('number', { description: 'Its ordinal, e.g. 18 for 第十八届.' }),
    startsOn: t.expose('startsOn', { type: 'Date', description: 'Its first day (YYYY-MM-DD).' }),
    plannedEndOn: t.expose('plannedEndOn', { type: 'Date', description: 'The day it is due to end.' }),
    closedOn: t.expose('closedOn', {
      type: 'Date',
      nullable: true,
      description: 'The day it closed (换届), if it had in the view; its handover dossier exists from then on.',
    }),
  }),
});

builder.objectFields(PersonType, (t) => ({
  mandates: t.field({
    type: [MandateRef],
    description: 'Every seat or post the person held, across terms, oldest first, as seen in the view (a handful per person).',
    args: { asOf: t.arg({ type: AsOfInput, description: AS_OF }) },
    resolve: (person, { asOf }, context) => mandateLoaders(context)(readAsOf(asOf)).load(person.personId),
  }),
}));

// ---------------------------------------------------------------------------------------------
// Queries

interface PeoplePage {
  edges: readonly { cursor: string; node: PersonRow }[];
  pageInfo: { startCursor?: string | null; endCursor?: string | null; hasPreviousPage: boolean; hasNextPage: boolean };
  search: string | null;
}

export const encodeCursor = (row: PersonRow) => Buffer.from(JSON.stringify([row.name, row.personId])).toString('base64url');

export function decodeCursor(cursor: string, field: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string' && isUuid(value[1])) {
      return [value[0], value[1]];
    }
  } catch {
    // reported below
  }
  throw invalidArgument(field, 'is not a cursor of this list');
}

/** People whose name contains `search` (case-insensitive), as SQL. */
export const matching = (search: string | null, add: (value: unknown) => string) => (search ? `strpos(lower(name), lower(${add(search)})) > 0` : 'TRUE');

builder.queryFields((t) => ({
  terms: t.field({
    type: [TermRef],
    description: 'Every term opened in the view, newest first (a handful).',
    args: { asOf: t.arg({ type: AsOfInput, description: AS_OF }) },
    resolve: (_, { asOf }, { db }) => termsInView(db, readAsOf(asOf)),
  }),
  person: t.field({
    type: PersonType,
    nullable: true,
    description: 'One person by id (null when unknown).',
    args: { id: t.arg.id({ required: true, description: 'The person.' }) },
    resolve: (_, { id }, context) => personLoader(context).load(String(id)),
  }),
  peopleConnection: t.connection(
    {
      type: PersonType,
      description:
        'Everyone in the directory by name (then id), a page at a time, optionally only names containing `search`. ' +
        '(Named `peopleConnection` beside `people`, the deprecated plain list.)',
      args: { search: t.arg.string({ description: 'Only people whose name contains this text (case-insensitive).' }) },
      resolve: async (_, args, context) => {
        const search = args.search?.trim() || null;
        const after = args.after ? decodeCursor(args.after, 'after') : null;
        const before = args.before ? decodeCursor(args.before, 'before') : null;
        checkPageArgs(args);
        const page = await resolveCursorConnection<Promise<PersonRow[]>>(
          { args, toCursor: encodeCursor, maxSize: MAX_PAGE_SIZE },
          async ({ limit, inverted }) => {
            const params = new Params();
            const conditions = [matching(search, params.add)];
            if (after) conditions.push(`(name, person_id) > (${params.add(after[0])}, ${params.add(after[1])}::uuid)`);
            if (before) conditions.push(`(name, person_id) < (${params.add(before[0])}, ${params.add(before[1])}::uuid)`);
            const order = inverted ? 'DESC' : 'ASC';
            const { rows } = await context.db.query<PersonRow>(
              `SELECT ${PERSON_COLUMNS} FROM ${PEOPLE} WHERE ${conditions.join(' AND ')}
                ORDER BY name ${order}, person_id ${order} LIMIT ${params.add(limit)}`,
              params.values,
            );
            for (const row of rows) personLoader(context).prime(row.personId, row);
            return rows;
          },
        );
        return { ...page, search } satisfies PeoplePage;
      },
    },
    {
      name: 'PersonConnection',
      description: `People, a page at a time (at most ${MAX_PAGE_SIZE} a page, 20 when \`first\` is omitted).`,
      edgesField: { description: 'This page’s people, in order.' },
      fields: (t) => ({
        totalCount: t.int({
          description: 'People matching the search, every page together.',
          resolve: async (page, _, context) => {
            const params = new Params();
            const { search } = page as unknown as PeoplePage;
            const { rows } = await context.db.query<{ count: number }>(
              `SELECT count(*)::int AS count FROM ${PEOPLE} WHERE ${matching(search, params.add)}`,
              params.values,
            );
            return rows[0]!.count;
          },
        }),
      }),
    },
    { name: 'PersonEdge', description: 'One person in a page, with its cursor.', nodeField: { description: 'The person.' } },
  ),
}));
