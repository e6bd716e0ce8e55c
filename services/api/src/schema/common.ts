/**
 * What the read-model fields share: the fixed vocabularies (enums) of mandates and acts, the
 * checks on query arguments (a bad argument is a GraphQL error with a code, never a masked crash),
 * and pages over lists already in memory.
 */
import { cursorToOffset, resolveArrayConnection } from '@pothos/plugin-relay';
import {
  ACT_KIND_LABELS,
  ACT_KINDS,
  DomainError,
  LEVEL_LABELS,
  LEVELS,
  MANDATE_KIND_LABELS,
  MANDATE_KINDS,
  ROLE_LABELS,
  TEAMS,
  type ActKind as ActKindValue,
  type Role,
  type Team as TeamValue,
  ValidationError,
} from '@yingpan/domain';
import type { AsOf } from '@yingpan/projections';
import { toAsOf } from './as-of.ts';
import { builder, MAX_PAGE_SIZE } from './builder.ts';
import { requestError } from '../errors.ts';

/** `station-visit` → `STATION_VISIT`: GraphQL enum names for the domain's kebab-case values. */
const enumName = (value: string) => value.toUpperCase().replaceAll('-', '_');

/** An enum whose values are the domain's strings, each described by its label. */
export function vocabulary<const V extends string>(name: string, description: string, values: readonly V[], label: (value: V) => string) {
  return builder.enumType(name, {
    description,
    values: Object.fromEntries(values.map((value) => [enumName(value), { value, description: label(value) }])) as Record<
      string,
      { value: V; description: string }
    >,
  });
}

export const TEAM_LABELS: Record<TeamValue, string> = {
  committee: '常委会组成人员（含专门委员会）',
  staff: '机关工作人员',
  'township-chair': '乡镇（街道）人大主席（主任）',
  deputy: '人大代表',
};

export const Level = vocabulary(
  'Level',
  'The five levels of people’s congress (五级) a deputy can be elected to.',
  LEVELS,
  (level) => `${LEVEL_LABELS[level]}级`,
);
export const MandateKind = vocabulary('MandateKind', 'Kinds of seat or post a mandate is held in.', MANDATE_KINDS, (kind) => MANDATE_KIND_LABELS[kind]);
export const Team = vocabulary('Team', 'The four teams (四支队伍) the product tracks.', TEAMS, (team) => TEAM_LABELS[team]);
export const ActKind = vocabulary(
  'ActKind',
  'Kinds of countable act of duty performance (履职事项), as scoring rules and statistics name them.',
  ACT_KINDS,
  (act) => ACT_KIND_LABELS[act],
);

/** Approved act records of one kind. */
export interface ActCountRow {
  act: ActKindValue;
  count: number;
}

export const ActCount = builder.objectRef<ActCountRow>('ActCount').implement({
  description: 'How many approved records of one kind of act (履职事项) there are.',
  fields: (t) => ({
    act: t.field({ type: ActKind, description: 'The kind of act.', resolve: (row) => row.act }),
    labelZh: t.string({ description: '履职事项名称', resolve: (row) => ACT_KIND_LABELS[row.act] }),
    count: t.exposeInt('count', { description: 'Approved records (person-times, 人次).' }),
  }),
});

/** The roles a mutation's description names: "May be issued by: 人大代表 (deputy), …" (clients read them from the SDL). */
export const rolesText = (roles: readonly Role[]) => roles.map((role) => `${ROLE_LABELS[role].zh} (${role})`).join(', ');

// ---------------------------------------------------------------------------------------------
// Arguments

/** A query argument the caller got wrong: a GraphQL error with a code and the field, shown to the caller. */
export function invalidArgument(field: string, message: string): Error {
  return requestError('invalid-input', new ValidationError([{ field, message }]).messages, { field });
}

/** Turns a domain rejection (e.g. a malformed asOf) into an error the client sees (not masked). */
export function asQueryError(error: unknown): unknown {
  if (!(error instanceof DomainError)) return error;
  return requestError(error.code, error.messages, { field: error.field });
}

/** How every history-aware field describes its `asOf` argument. */
export const AS_OF = 'The moment to read the record at: as it happened on a date, or as it was known at a log position or instant; omit for now.';

/** The read models' AsOf for the `asOf` argument; a malformed one is a GraphQL error naming the field. */
export function readAsOf(input: Parameters<typeof toAsOf>[0]): AsOf {
  try {
    return toAsOf(input);
  } catch (error) {
    throw asQueryError(error);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const isUuid = (value: string) => UUID.test(value);

/** An id argument: a UUID, else an error naming the argument. */
export function uuidArg(value: string | number, field: string): string {
  const id = String(value);
  if (!isUuid(id)) throw invalidArgument(field, 'must be a UUID');
  return id;
}

/** An optional ISO date argument (YYYY-MM-DD). */
export function dateArg(value: string | null | undefined, field: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!DATE.test(value) || Number.isNaN(Date.parse(value)) || new Date(value).toISOString().slice(0, 10) !== value) {
    throw invalidArgument(field, 'must be a date YYYY-MM-DD');
  }
  return value;
}

/** A calendar year argument. */
export function yearArg(value: number, field = 'year'): number {
  if (!Number.isInteger(value) || value < 1949 || value > 2999) throw invalidArgument(field, 'must be a year between 1949 and 2999');
  return value;
}

// ---------------------------------------------------------------------------------------------
// Pages

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  before?: string | null;
  after?: string | null;
}

/** Which end of a dated list comes first. */
export const ListOrder = builder.enumType('ListOrder', {
  description: 'Which end of a dated list (a book, a history) comes first.',
  values: {
    OLDEST_FIRST: { value: 'asc' as const, description: 'Earliest date first.' },
    NEWEST_FIRST: { value: 'desc' as const, description: 'Latest date first: today’s record on the first page.' },
  },
});

/** The arguments of a dated list: its order, and an optional range of days (both ends included). */
export const datedListArgs = builder.args((t) => ({
  order: t.field({ type: ListOrder, defaultValue: 'asc', description: 'Oldest first (the default) or newest first.' }),
  from: t.field({ type: 'Date', description: 'Only items on or after this day (YYYY-MM-DD).' }),
  to: t.field({ type: 'Date', description: 'Only items on or before this day (YYYY-MM-DD).' }),
}));

/**
 * A dated list (kept oldest first by the read model) in the order asked, cut to the days asked.
 * A bad day is an argument error naming the argument.
 */
export function datedList<T>(
  items: readonly T[],
  dateOf: (item: T) => string,
  args: { order?: 'asc' | 'desc' | null; from?: string | null; to?: string | null },
): T[] {
  const from = args.from ? dateArg(args.from, 'from') : null;
  const to = args.to ? dateArg(args.to, 'to') : null;
  const kept = from || to ? items.filter((item) => (!from || dateOf(item) >= from) && (!to || dateOf(item) <= to)) : [...items];
  return args.order === 'desc' ? kept.reverse() : kept;
}

/** How many items a page serves when `first` is omitted. */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * The one rule of every paged field's `first` (and `last`): omitted, `fallback` items; 0 or more,
 * that many but at most `max`; negative or not a whole number, an argument error naming it.
 */
export function pageSize(
  first: number | null | undefined,
  { fallback = DEFAULT_PAGE_SIZE, max = MAX_PAGE_SIZE, field = 'first' }: { fallback?: number; max?: number; field?: string } = {},
): number {
  if (first === null || first === undefined) return Math.min(fallback, max);
  if (!Number.isInteger(first) || first < 0) throw invalidArgument(field, 'must be 0 or more');
  return Math.min(first, max);
}

/** Checks a connection's `first` and `last` by `pageSize`'s rule before the page is cut. */
export function checkPageArgs(args: PageArgs): void {
  pageSize(args.first);
  pageSize(args.last, { field: 'last' });
}

/** Checks that a page's `after` and `before` are cursors of a page cut by `pageOf` (its offsets), not of another list. */
function checkOffsetCursors(args: PageArgs): void {
  for (const field of ['after', 'before'] as const) {
    const cursor = args[field];
    if (cursor === null || cursor === undefined) continue;
    let offset: number;
    try {
      offset = cursorToOffset(cursor);
    } catch {
      throw invalidArgument(field, 'is not a cursor of this list');
    }
    if (!Number.isInteger(offset) || offset < 0) throw invalidArgument(field, 'is not a cursor of this list');
  }
}

/** One page of a list the read model returned whole; at most MAX_PAGE_SIZE items whatever `first` asks. */
export function pageOf<T>(args: PageArgs, items: readonly T[], maxSize = MAX_PAGE_SIZE) {
  checkPageArgs(args);
  checkOffsetCursors(args);
  return resolveArrayConnection({ args, maxSize, defaultSize: DEFAULT_PAGE_SIZE }, items as T[]);
}

type Types = typeof builder.$inferSchemaTypes;

/** The connection and edge options of a paged list: names, descriptions and a `totalCount`. */
export function pageTypes(name: string, description: string, nodeDescription: string) {
  return [
    {
      name: `${name}Connection`,
      description: `${description} Pages of at most ${MAX_PAGE_SIZE} items (20 when \`first\` is omitted).`,
      edgesField: { description: 'This page’s items, in order.' },
      fields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, object>) => ({
        totalCount: t.int({
          description: 'Items in the whole list, every page together.',
          resolve: (page) => (page as { totalCount?: number | null }).totalCount ?? 0,
        }),
      }),
    },
    { name: `${name}Edge`, description: `One item of a ${name} page, with its cursor.`, nodeField: { description: nodeDescription } },
  ] as const;
}
