/**
 * Finding people in a roster of any size, as the pickers do: `peopleSearch` matches characters
 * inside a name (三 finds 张三) and pinyin (`zs`, `zhangs`), best matches first, a page at a time,
 * with filters on the seat (team, township, level, term, held on a day); `peopleNamed` answers a
 * sign-in sheet's names at once, every namesake included. Each person carries what tells namesakes
 * apart: gender here, and their seats (township, level, term) through `mandates`. The pinyin is
 * worked out when the directory is projected (projections/src/directory), so a keystroke is an
 * indexed lookup.
 */
import { countPeople, peopleNamed, searchPeople, type PeopleSearch, type PersonRow, type SearchCursor } from '@yingpan/projections';
import { builder, MAX_PAGE_SIZE } from './builder.ts';
import { dateArg, invalidArgument, isUuid, Level, pageSize, Team } from './common.ts';
import { personLoader, PersonType } from './people.ts';

export const Gender = builder.enumType('Gender', {
  description: 'A person’s gender as registered.',
  values: { MALE: { value: 'male', description: '男' }, FEMALE: { value: 'female', description: '女' } } as const,
});

builder.objectFields(PersonType, (t) => ({
  gender: t.field({
    type: Gender,
    nullable: true,
    description: 'As registered (null when not given): with the seats, it tells namesakes apart.',
    resolve: (person) => person.gender,
  }),
  initials: t.exposeString('initials', { description: 'The pinyin initials of the name, lower-case (zs for 张三), as `peopleSearch` matches them.' }),
}));

const PeopleSearchFilters = builder.inputType('PeopleSearchFilters', {
  description: 'Which seats count: a person is found when one of their seats (任职) matches every filter given.',
  fields: (t) => ({
    team: t.field({ type: Team, description: 'The seat’s team (四支队伍).' }),
    township: t.string({ description: 'The seat’s township or street (乡镇/街道), exactly.' }),
    level: t.field({ type: Level, description: 'The seat’s level of congress (deputies).' }),
    termId: t.id({ description: 'The seat’s term (届).' }),
    validOn: t.field({ type: 'Date', description: 'Only seats held on this day (YYYY-MM-DD), e.g. an activity’s date.' }),
  }),
});

interface SearchPage {
  edges: { cursor: string; node: PersonRow; rank: number }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  search: PeopleSearch;
}

const encode = (cursor: SearchCursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decode(cursor: string): SearchCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      Number.isInteger(value[0]) &&
      typeof value[1] === 'string' &&
      typeof value[2] === 'string' &&
      isUuid(value[2])
    ) {
      return value as SearchCursor;
    }
  } catch {
    // reported below
  }
  throw invalidArgument('after', 'is not a cursor of this search');
}

const SearchEdge = builder.objectRef<SearchPage['edges'][number]>('PersonSearchEdge').implement({
  description: 'One person found, with its cursor.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Pass as `after` to continue after this person.' }),
    node: t.field({ type: PersonType, description: 'The person.', resolve: (edge) => edge.node }),
    exact: t.boolean({ description: 'The whole name, initials or pinyin is what was typed (not just a part of it).', resolve: (edge) => edge.rank === 0 }),
  }),
});

const SearchPageInfo = builder.objectRef<SearchPage['pageInfo']>('PersonSearchPageInfo').implement({
  description: 'Where a page of a search stands.',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'More people follow: ask again with `after: endCursor`.' }),
    endCursor: t.exposeString('endCursor', { nullable: true, description: 'The cursor of the page’s last person (null for an empty page).' }),
  }),
});

const SearchConnection = builder.objectRef<SearchPage>('PersonSearchConnection').implement({
  description: `People a search found, best matches first, at most ${MAX_PAGE_SIZE} a page.`,
  fields: (t) => ({
    edges: t.field({ type: [SearchEdge], description: 'This page’s people, in order.', resolve: (page) => page.edges }),
    pageInfo: t.field({ type: SearchPageInfo, description: 'Whether more follow.', resolve: (page) => page.pageInfo }),
    totalCount: t.int({ description: 'People the search finds, every page together.', resolve: (page, _, { db }) => countPeople(db, page.search) }),
  }),
});

const NameMatches = builder.objectRef<{ name: string; people: PersonRow[] }>('NameMatches').implement({
  description: 'Everyone bearing one name exactly: none (an unknown name), one, or namesakes to choose from.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name as asked (trimmed).' }),
    people: t.field({ type: [PersonType], description: 'The people bearing it, by id.', resolve: (row) => row.people }),
  }),
});

/** The most names one `peopleNamed` question may hold (a large sign-in sheet). */
export const MAX_NAMES = 1000;

builder.queryFields((t) => ({
  peopleSearch: t.field({
    type: SearchConnection,
    description:
      'People whose name holds the characters typed (三 finds 张三) or whose pinyin starts with the letters typed (zs or zhangs finds 张三), ' +
      'best matches first (the whole name or initials, then from the start, then inside), then by name; optionally only people holding a seat ' +
      'that matches the filters. Without `query`, everyone the filters let through, by name.',
    args: {
      query: t.arg.string({ description: 'Characters of a name, or pinyin initials or syllables (letters only, any case).' }),
      first: t.arg.int({ description: `How many (0–${MAX_PAGE_SIZE}; 20 when omitted).` }),
      after: t.arg.string({ description: 'Continue after this cursor (a page’s `endCursor`).' }),
      filters: t.arg({ type: PeopleSearchFilters, description: 'Which seats count.' }),
    },
    resolve: async (_, args, context) => {
      const first = pageSize(args.first);
      const query = args.query?.trim() ?? '';
      if ([...query].length > 50) throw invalidArgument('query', 'must be at most 50 characters');
      const filters = args.filters ?? {};
      if (filters.termId && !isUuid(String(filters.termId))) throw invalidArgument('filters.termId', 'must be a UUID');
      const search: PeopleSearch = {
        query: query || null,
        team: filters.team ?? null,
        township: filters.township?.trim() || null,
        level: filters.level ?? null,
        termId: filters.termId ? String(filters.termId) : null,
        validOn: dateArg(filters.validOn, 'filters.validOn') ?? null,
      };
      const { matches, hasNextPage } = await searchPeople(context.db, search, { first, after: args.after ? decode(args.after) : null });
      const edges = matches.map(({ rank, ...node }) => {
        personLoader(context).prime(node.personId, node);
        return { cursor: encode([rank, node.name, node.personId]), node, rank };
      });
      return {
        edges,
        pageInfo: { hasNextPage, hasPreviousPage: !!args.after, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
        search,
      } satisfies SearchPage;
    },
  }),
  peopleNamed: t.field({
    type: [NameMatches],
    description: `The people bearing each name exactly, as a sign-in sheet (签到表) lists them: one answer per distinct name, in the order asked (at most ${MAX_NAMES} names).`,
    args: { names: t.arg.stringList({ required: true, description: 'Names, e.g. the lines of a sign-in sheet.' }) },
    resolve: async (_, { names }, context) => {
      if (names.length > MAX_NAMES) throw invalidArgument('names', `must hold at most ${MAX_NAMES} names`);
      if (names.some((name) => [...name.trim()].length > 100)) throw invalidArgument('names', 'each must be at most 100 characters');
      const found = await peopleNamed(context.db, names);
      for (const people of found.values()) for (const person of people) personLoader(context).prime(person.personId, person);
      return [...found].map(([name, people]) => ({ name, people }));
    },
  }),
}));
