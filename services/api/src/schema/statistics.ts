/**
 * County statistics (县级统计): person-times (人次) and distinct persons of approved records, grouped
 * by the dimensions a dashboard asks for, and the headline figures the county reports — computed
 * over the record facts at query time, in any view of the past.
 */
import { createContextCache } from '@pothos/core';
import {
  countyHeadlines,
  countyStatisticsSets,
  HEADLINE_GROUPING,
  STATISTICS_DIMENSIONS,
  type CountyHeadlines,
  type StatisticsDimension as Dimension,
  type StatisticsFilter,
  type StatisticsRow,
} from '@yingpan/projections';
import DataLoader from 'dataloader';
import type { Context } from '../context.ts';
import { AsOfInput } from './as-of.ts';
import { cachedWhileUnchanged } from '../read-cache.ts';
import { builder } from './builder.ts';
import { ActKind, AS_OF, dateArg, invalidArgument, Level, pageOf, pageTypes, readAsOf, Team, uuidArg, vocabulary } from './common.ts';

/**
 * Groups are small (a dashboard's months of two terms are 120): a page holds up to this many, so a
 * chart needs one request.
 */
export const STATISTICS_PAGE_SIZE = 1000;

const StatisticsDimension = vocabulary(
  'StatisticsDimension',
  'What county statistics can be grouped by.',
  STATISTICS_DIMENSIONS,
  (dimension) =>
    ({
      act: '履职事项 — the kind of act',
      team: '队伍 — the team of the mandate acted in',
      level: '层级 — the deputy’s level of congress',
      township: '乡镇 — the township of the seat',
      term: '届次 — the term',
      month: '月份 — the month of the act (YYYY-MM)',
    })[dimension],
);

const StatisticsRowType = builder.objectRef<StatisticsRow>('StatisticsRow').implement({
  description:
    'One group of approved records: the dimensions asked for (the others are null), person-times and distinct persons. ' +
    'A record without a mandate takes the person’s mandate on the act’s date.',
  fields: (t) => ({
    act: t.field({ type: ActKind, nullable: true, description: 'The kind of act (grouped by ACT).', resolve: (row) => row.act ?? null }),
    team: t.field({
      type: Team,
      nullable: true,
      description: 'The team (grouped by TEAM); null also when the person held no mandate on the act’s date (未知).',
      resolve: (row) => (row.team && row.team !== 'unknown' ? row.team : null),
    }),
    level: t.field({
      type: Level,
      nullable: true,
      description: 'The level of congress (grouped by LEVEL; null for non-deputies).',
      resolve: (row) => row.level ?? null,
    }),
    township: t.string({
      nullable: true,
      description: 'The township of the seat (grouped by TOWNSHIP; null when the seat has none).',
      resolve: (row) => row.township ?? null,
    }),
    term: t.int({ nullable: true, description: 'The term’s ordinal, e.g. 17 for 第十七届 (grouped by TERM).', resolve: (row) => row.term ?? null }),
    month: t.string({ nullable: true, description: 'The month YYYY-MM (grouped by MONTH).', resolve: (row) => row.month ?? null }),
    personTimes: t.exposeInt('personTimes', { description: 'Approved records (人次).' }),
    persons: t.exposeInt('persons', { description: 'Distinct persons (人).' }),
  }),
});

const CountyHeadlinesType = builder.objectRef<CountyHeadlines>('CountyHeadlines').implement({
  description: 'The figures a county reports for a period (a term and/or dates), from approved records and the county registry.',
  fields: (t) => ({
    trainingPersonTimes: t.exposeInt('trainingPersonTimes', { description: '培训人次: training person-times, every team.' }),
    committeeTrainingPersonTimes: t.exposeInt('committeeTrainingPersonTimes', { description: '常委会组成人员培训人次: of which standing-committee members.' }),
    supervisionPersonTimes: t.exposeInt('supervisionPersonTimes', {
      description: '代表参加调研、视察、执法检查人次: deputies in research, inspection and law-enforcement checks.',
    }),
    committeeMeetingAttendees: t.exposeInt('committeeMeetingAttendees', {
      description: '列席常委会会议代表人数: distinct deputies attending standing-committee meetings.',
    }),
    consultationRecommendations: t.exposeInt('consultationRecommendations', {
      description: '推荐参加意见征求会人次: person-times recommended to consultation meetings.',
    }),
    stationsOpen: t.exposeInt('stationsOpen', { description: '家站数: stations open at the end of the period.' }),
    stationsEstablished: t.exposeInt('stationsEstablished', { description: 'Stations set up within the period.' }),
    stationsClosed: t.exposeInt('stationsClosed', { description: 'Stations closed within the period.' }),
    regulationsInForce: t.exposeInt('regulationsInForce', { description: 'Regulations in force at the end of the period.' }),
    regulationsEnacted: t.exposeInt('regulationsEnacted', { description: '立: regulations enacted within the period.' }),
    regulationsAmended: t.exposeInt('regulationsAmended', { description: '改: amendments within the period.' }),
    regulationsRepealed: t.exposeInt('regulationsRepealed', { description: '废: regulations repealed within the period.' }),
    regulationsRevised: t.exposeInt('regulationsRevised', { description: '制度立改废: distinct regulations enacted, amended or repealed within the period.' }),
  }),
});

/** The period and view of a statistics query, checked. */
function filterOf(args: {
  termId?: string | number | null;
  from?: string | null;
  to?: string | null;
  asOf?: Parameters<typeof readAsOf>[0];
}): StatisticsFilter {
  const asOf = readAsOf(args.asOf);
  const from = dateArg(args.from, 'from');
  const to = dateArg(args.to, 'to');
  if (from && to && from > to) throw invalidArgument('to', 'must not be before from');
  return { termId: args.termId ? uuidArg(args.termId, 'termId') : undefined, from, to, asOf };
}

interface StatisticsKey {
  filter: StatisticsFilter;
  groupBy: readonly Dimension[];
}

/**
 * Per request: the statistics of every grouping asked for with the same filter (a dashboard asks
 * for several, and the headline figures for one more) are computed together, in one statement that
 * reads and places the records once (countyStatisticsSets) instead of once per grouping.
 */
const statisticsLoader = createContextCache(
  (context: Context) =>
    new DataLoader<StatisticsKey, StatisticsRow[], string>(
      async (keys) => {
        const byFilter = new Map<string, number[]>();
        keys.forEach((key, index) => {
          const filter = JSON.stringify(key.filter);
          byFilter.set(filter, [...(byFilter.get(filter) ?? []), index]);
        });
        const results: StatisticsRow[][] = [];
        await Promise.all(
          [...byFilter.values()].map(async (indexes) => {
            const filter = keys[indexes[0]!]!.filter;
            const groupings = indexes.map((index) => keys[index]!.groupBy);
            // Kept while no read model moves (read-cache.ts): a dashboard between two writes is answered from memory.
            const sets = await cachedWhileUnchanged(context.db, 'countyStatisticsSets', [filter, groupings], () =>
              countyStatisticsSets(context.db, filter, groupings),
            );
            indexes.forEach((index, set) => (results[index] = sets[set]!));
          }),
        );
        return results;
      },
      { cacheKeyFn: (key) => JSON.stringify([key.filter, [...key.groupBy].sort()]) },
    ),
);

const [statisticsConnection, statisticsEdge] = pageTypes('StatisticsRow', 'Groups of county statistics.', 'A group.');

builder.queryFields((t) => ({
  countyStatistics: t.connection(
    {
      type: StatisticsRowType,
      description: 'Person-times and distinct persons of approved records, grouped by the dimensions given (none: one total row), ordered by them.',
      args: {
        termId: t.arg.id({ description: 'Only records made in a mandate of this term.' }),
        from: t.arg({ type: 'Date', description: 'Only acts on or after this day (YYYY-MM-DD).' }),
        to: t.arg({ type: 'Date', description: 'Only acts on or before this day (YYYY-MM-DD).' }),
        groupBy: t.arg({ type: [StatisticsDimension], required: true, description: 'The dimensions to group by (none: one total row).' }),
        asOf: t.arg({ type: AsOfInput, description: AS_OF }),
      },
      resolve: async (_, args, context) =>
        pageOf(args, await statisticsLoader(context).load({ filter: filterOf(args), groupBy: args.groupBy }), STATISTICS_PAGE_SIZE),
    },
    { ...statisticsConnection, description: `Groups of county statistics. Pages of at most ${STATISTICS_PAGE_SIZE} groups (20 when \`first\` is omitted).` },
    statisticsEdge,
  ),
  countyHeadlines: t.field({
    type: CountyHeadlinesType,
    description: 'The headline figures for a term and/or dates (none: all time).',
    args: {
      termId: t.arg.id({ description: 'Only this term.' }),
      from: t.arg({ type: 'Date', description: 'From this day (YYYY-MM-DD).' }),
      to: t.arg({ type: 'Date', description: 'To this day (YYYY-MM-DD).' }),
      asOf: t.arg({ type: AsOfInput, description: AS_OF }),
    },
    resolve: (_, args, context) => {
      const filter = filterOf(args);
      // Batched with the request's other statistics of the same filter (see statisticsLoader).
      return countyHeadlines(context.db, filter, statisticsLoader(context).load({ filter, groupBy: HEADLINE_GROUPING }));
    },
  }),
}));
