/**
 * What anyone may read without signing in (主动公开): who the caller is, deputies' public profiles
 * (name and seats) and their performance summaries — the band of a year that is over and the core
 * duties met, never an exact score or rank, and nothing about the voters they met.
 */
import { createContextCache } from '@pothos/core';
import { resolveCursorConnection } from '@pothos/plugin-relay';
import { countyToday, ROLE_LABELS, type Level as LevelValue } from '@yingpan/domain';
import { Params, scorecards, type BandWithheld as BandWithheldValue, type PersonRow, type Scorecard } from '@yingpan/projections';
import DataLoader from 'dataloader';
import type { Context } from '../context.ts';
import { builder, MAX_PAGE_SIZE } from './builder.ts';
import { checkPageArgs, isUuid, Level, yearArg } from './common.ts';
import { decodeCursor, encodeCursor, MANDATES, mandateLoaders, matching, PEOPLE, PERSON_COLUMNS, personLoader } from './people.ts';
import { BandWithheld } from './scores.ts';

const Viewer = builder.objectRef<{ personId: string; role: string; name: string | null; mustEnrolTotp?: boolean | undefined }>('Viewer').implement({
  description: 'Who the request acts as: the signed-in token’s role and person, or the public.',
  fields: (t) => ({
    role: t.exposeString('role', { description: 'public, deputy, station-manager, staff, committee-member, auditor or admin.' }),
    roleLabelZh: t.string({
      description: 'The role in Chinese.',
      resolve: (viewer) => ROLE_LABELS[viewer.role as keyof typeof ROLE_LABELS]?.zh ?? viewer.role,
    }),
    roleLabelEn: t.string({
      description: 'The role in English.',
      resolve: (viewer) => ROLE_LABELS[viewer.role as keyof typeof ROLE_LABELS]?.en ?? viewer.role,
    }),
    personId: t.exposeString('personId', { description: 'The person acting (a directory id), or a role’s local operator id.' }),
    name: t.string({
      nullable: true,
      description: 'The name carried by the token, else the directory’s name for the person.',
      resolve: async (viewer, _, context) =>
        viewer.name ?? (isUuid(viewer.personId) ? ((await personLoader(context).load(viewer.personId))?.name ?? null) : null),
    }),
    mustEnrolTotp: t.boolean({
      description: 'An administrator or auditor signed in without an authenticator: acting as the public until they enrol one on 我的账户.',
      resolve: (viewer) => viewer.mustEnrolTotp === true,
    }),
    today: t.field({
      type: 'Date',
      description: 'The county’s date today (YYYY-MM-DD) by the server’s clock: the day forms and views count as today, whatever the browser’s clock says.',
      resolve: () => countyToday(),
    }),
  }),
});

interface PublicSeatRow {
  termNumber: number;
  level: LevelValue | null;
  district: string | null;
  township: string | null;
  startsOn: string;
  validTo: string | null;
}

const PublicSeat = builder.objectRef<PublicSeatRow>('PublicSeat').implement({
  description: 'A deputy seat as disclosed to the public.',
  fields: (t) => ({
    termNumber: t.exposeInt('termNumber', { description: 'The term, e.g. 18 for 第十八届.' }),
    level: t.field({ type: Level, nullable: true, description: 'The level of congress.', resolve: (seat) => seat.level }),
    district: t.exposeString('district', { nullable: true, description: 'The electoral district (选区).' }),
    township: t.exposeString('township', { nullable: true, description: 'The township or street.' }),
    startsOn: t.expose('startsOn', { type: 'Date', description: 'First day held.' }),
    validTo: t.expose('validTo', { type: 'Date', nullable: true, description: 'Last day held; null while still held.' }),
  }),
});

interface PerformanceRow {
  termNumber: number;
  year: number;
  band: string | null;
  provisional: boolean;
  bandWithheld: BandWithheldValue | null;
  dutiesMet: number;
  dutiesMissed: number;
}

const PublicPerformance = builder.objectRef<PerformanceRow>('PublicPerformance').implement({
  description:
    'A deputy’s performance in a year as disclosed: the band (not the score) and the core duties met; a seat held across a term change in the year counts as one, with the year’s band.',
  fields: (t) => ({
    termNumber: t.exposeInt('termNumber', {
      description: 'The term of the seat scored; for a seat held across a term change in the year (re-elected), the new term (the year is shown once).',
    }),
    year: t.exposeInt('year', { description: 'The year.' }),
    band: t.exposeString('band', {
      nullable: true,
      description:
        'The evaluation band, e.g. 优秀 / 称职; null when no rules applied, while the year is not over (provisional), and for a seat held less than half the year.',
    }),
    provisional: t.exposeBoolean('provisional', { description: 'The year is not over (评价中): no band yet; only the periods over are counted.' }),
    bandWithheld: t.field({
      type: BandWithheld,
      nullable: true,
      description: 'Why a scored year has no band; null when it has one.',
      resolve: (row) => row.bandWithheld,
    }),
    dutiesMet: t.exposeInt('dutiesMet', { description: 'Core-duty periods met.' }),
    dutiesMissed: t.exposeInt('dutiesMissed', { description: 'Core-duty periods missed.' }),
  }),
});

const NOW = { view: 'now' } as const;

/** Per request and year: the scorecards of a page of deputies, in one batch. */
const scorecardLoaders = createContextCache((context: Context) => {
  const loaders = new Map<number, DataLoader<string, Scorecard>>();
  return (year: number) => {
    let loader = loaders.get(year);
    if (!loader) {
      loader = new DataLoader<string, Scorecard>((personIds) => scorecards(context.db, { personIds, year }, NOW));
      loaders.set(year, loader);
    }
    return loader;
  };
});

const PublicDeputy = builder.objectRef<PersonRow>('PublicDeputy').implement({
  description: 'A deputy’s public profile (代表信息公开).',
  fields: (t) => ({
    id: t.exposeID('personId', { description: 'The person.' }),
    name: t.exposeString('name', { description: 'The deputy’s name.' }),
    seats: t.field({
      type: [PublicSeat],
      description: 'Deputy seats held, across terms, oldest first.',
      resolve: async (person, _, context) => (await mandateLoaders(context)(NOW).load(person.personId)).filter((mandate) => mandate.kind === 'deputy'),
    }),
    performance: t.field({
      type: [PublicPerformance],
      description: 'The performance summary of each deputy seat scored in a year.',
      args: { year: t.arg.int({ required: true, description: 'The year.' }) },
      async resolve(person, args, context) {
        const year = yearArg(args.year);
        const card = await scorecardLoaders(context)(year).load(person.personId);
        // A seat held across a term change is shown once, with the year's band, under the term it is held in at the year's end.
        const splits = card.splitYears.filter((split) => split.kind === 'deputy');
        const parts = new Set(splits.flatMap((split) => split.parts.map((part) => part.mandateId)));
        return [
          ...card.mandates
            .filter((mandate) => mandate.kind === 'deputy' && !parts.has(mandate.mandateId))
            .map((mandate) => ({
              termNumber: mandate.termNumber,
              year,
              band: mandate.band,
              provisional: mandate.provisional,
              bandWithheld: mandate.years[0]?.bandWithheld ?? null,
              dutiesMet: mandate.dutiesMet,
              dutiesMissed: mandate.dutiesMissed,
            })),
          ...splits.map((split) => ({
            termNumber: split.parts.at(-1)!.termNumber,
            year,
            band: split.band,
            provisional: split.provisional,
            bandWithheld: split.bandWithheld,
            dutiesMet: split.dutiesMet,
            dutiesMissed: split.dutiesMissed,
          })),
        ];
      },
    }),
  }),
});

/** People who held a deputy seat. */
const IS_DEPUTY = `EXISTS (SELECT 1 FROM ${MANDATES}.mandates m WHERE m.person_id = people.person_id AND m.kind = 'deputy' AND m.started_position IS NOT NULL)`;

builder.queryFields((t) => ({
  me: t.field({
    type: Viewer,
    skipTypeScopes: true,
    description: 'Who this request acts as (open to everyone).',
    resolve: (_, __, context) => context.actor,
  }),
  publicDeputy: t.field({
    type: PublicDeputy,
    nullable: true,
    skipTypeScopes: true,
    description: 'One deputy’s public profile (open to everyone); null for an unknown id or someone who never held a deputy seat.',
    args: { id: t.arg.id({ required: true, description: 'The person.' }) },
    async resolve(_, { id }, { db }) {
      if (!isUuid(String(id))) return null;
      const { rows } = await db.query<PersonRow>(`SELECT ${PERSON_COLUMNS} FROM ${PEOPLE} people WHERE person_id = $1 AND ${IS_DEPUTY}`, [String(id)]);
      return rows[0] ?? null;
    },
  }),
  publicDeputies: t.connection(
    {
      type: PublicDeputy,
      skipTypeScopes: true,
      description: 'Deputies’ public profiles by name, a page at a time (open to everyone), optionally only names containing `search`.',
      args: { search: t.arg.string({ description: 'Only deputies whose name contains this text.' }) },
      resolve: (_, args, context) => {
        const search = args.search?.trim() || null;
        const after = args.after ? decodeCursor(args.after, 'after') : null;
        const before = args.before ? decodeCursor(args.before, 'before') : null;
        checkPageArgs(args);
        return resolveCursorConnection<Promise<PersonRow[]>>({ args, toCursor: encodeCursor, maxSize: MAX_PAGE_SIZE }, async ({ limit, inverted }) => {
          const params = new Params();
          const conditions = [matching(search, params.add), IS_DEPUTY];
          if (after) conditions.push(`(name, person_id) > (${params.add(after[0])}, ${params.add(after[1])}::uuid)`);
          if (before) conditions.push(`(name, person_id) < (${params.add(before[0])}, ${params.add(before[1])}::uuid)`);
          const order = inverted ? 'DESC' : 'ASC';
          const { rows } = await context.db.query<PersonRow>(
            `SELECT ${PERSON_COLUMNS} FROM ${PEOPLE} people WHERE ${conditions.join(' AND ')}
              ORDER BY name ${order}, person_id ${order} LIMIT ${params.add(limit)}`,
            params.values,
          );
          return rows;
        });
      },
    },
    { name: 'PublicDeputyConnection', description: `Deputies’ public profiles, a page at a time (at most ${MAX_PAGE_SIZE}).` },
    { name: 'PublicDeputyEdge', description: 'One deputy in a page, with its cursor.' },
  ),
}));
