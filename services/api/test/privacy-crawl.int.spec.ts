/**
 * The privacy crawl. A voter's opinion with unmistakable personal data (name, phone, address and
 * words) is planted in the small demo county; then every field of `Query`, found by introspection,
 * is asked with every object field under it selected to depth 6 (connections' edges and nodes
 * included, every member of a union or interface), as each kind of viewer: the public, the
 * receiving deputy, a deputy of the same station who did not receive it, a deputy elsewhere, the
 * station's manager, another station's manager, office staff, a committee member, an auditor and an
 * administrator. Arguments are filled from what the test knows (the station, the person, the
 * opinion, its stream, today, this year), so the crawl reaches the planted opinion.
 *
 * The planted data may appear only in answers to those access.ts lets see it (the receiving deputy,
 * staff, the station's own manager, auditors), and the crawl must find it there: that is the check
 * that the crawl reaches the opinion at all.
 */
import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { TEST_TODAY } from '@yingpan/domain/test-clock';
import { openCountyImage } from '@yingpan/projections/testing';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { postGraphQL, type GraphQLAnswer } from './graphql-client.ts';

/** How deep the crawl selects (root field = 1). */
const DEPTH = 6;
/** Rows asked of each list with a page size. */
const PAGE = 20;
const YEAR = Number(TEST_TODAY.slice(0, 4));

/** The planted voter: nothing else in the county reads like this. */
const MARK = randomUUID().slice(0, 8);
const VOTER = { name: `隐私测试人${MARK}`, phone: '13912340987', address: `隐私测试路${MARK}号` };
const WORDS = `隐私爬取标记：请修缮${MARK}号桥`;
const MARKERS = [VOTER.name, VOTER.phone, VOTER.address, WORDS];

type Viewer =
  | 'public'
  | 'receiver'
  | 'same-station-deputy'
  | 'deputy-elsewhere'
  | 'station-manager'
  | 'other-manager'
  | 'staff'
  | 'committee-member'
  | 'auditor'
  | 'admin';
/** Who may see the planted voter (services/api/src/access.ts). */
const MAY_SEE: ReadonlySet<Viewer> = new Set(['receiver', 'staff', 'station-manager', 'auditor']);

interface Known {
  stationId: string;
  township: string;
  personId: string;
  mandateId: string;
  opinionId: string;
  streamId: string;
  recordId: string;
  termId: string;
}

/** The names of the ids the test knows, filled wherever an argument or an input's field bears one (most telling first). */
const KNOWN_IDS = ['streamId', 'opinionId', 'recordId', 'stationId', 'personId', 'receivedByPersonId', 'mandateId', 'termId'];

/** A literal for an argument of `type`, from what the test knows; null when none fits. */
function literal(name: string, type: GraphQLInputType, known: Known, schema: GraphQLSchema): string | null {
  if (isNonNullType(type)) return literal(name, type.ofType, known, schema);
  if (isListType(type)) {
    const item = literal(name.replace(/s$/, ''), type.ofType, known, schema);
    return item === null ? null : `[${item}]`;
  }
  if (isEnumType(type)) {
    // Newest first where a list can be ordered: the planted opinion is the newest of its kind.
    const values = type.getValues().map((value) => value.name);
    return values.find((value) => value.startsWith('NEWEST')) ?? values[0]!;
  }
  if (isInputObjectType(type)) {
    // Every required field, and of the optional ones the most telling known id alone (filters combine with "and").
    const telling = KNOWN_IDS.find((id) => id in type.getFields() && !isNonNullType(type.getFields()[id]!.type));
    const fields = Object.values(type.getFields()).flatMap((field) => {
      if (!isNonNullType(field.type) && field.name !== telling) return [];
      const value = literal(field.name, field.type, known, schema);
      return value === null ? [] : [`${field.name}: ${value}`];
    });
    return `{ ${fields.join(', ')} }`;
  }
  const ids: Record<string, string> = {
    stationId: known.stationId,
    personId: known.personId,
    receivedByPersonId: known.personId,
    mandateId: known.mandateId,
    opinionId: known.opinionId,
    streamId: known.streamId,
    recordId: known.recordId,
    termId: known.termId,
    id: known.personId,
  };
  if (name in ids) return JSON.stringify(ids[name]);
  if (isScalarType(type)) {
    if (type.name === 'Int') return /year/i.test(name) ? String(YEAR) : /^(first|last|limit)$/.test(name) ? String(PAGE) : '1';
    if (type.name === 'Float') return '1';
    if (type.name === 'Boolean') return 'true';
    if (/township/i.test(name)) return JSON.stringify(known.township);
    // A search by the planted voter's name: a picker must not find voters.
    // (By the mark alone: an answer that repeats the question then holds no marker.)
    if (/^(search|query|text|name|names)$/.test(name)) return JSON.stringify(MARK);
    if (/(day|date|on|at|from|to|since|until)$/i.test(name)) return JSON.stringify(TEST_TODAY);
    if (type.name === 'ID' || type.name === 'String') return null;
  }
  return null;
}

/** The arguments of a field: every required one, and the known ids, page sizes and years among the optional. */
function argumentsOf(field: GraphQLField<unknown, unknown>, known: Known, schema: GraphQLSchema): string | null {
  const parts: string[] = [];
  for (const argument of field.args as readonly GraphQLArgument[]) {
    const value = literal(argument.name, argument.type, known, schema);
    const wanted =
      isNonNullType(argument.type) ||
      (KNOWN_IDS.includes(argument.name) && !(argument.name === 'termId' && field.args.some((other) => other.name === 'year'))) ||
      /^(first|year|order)$/.test(argument.name) ||
      // One place at a time: a township only where no station can be named, a term only where no year.
      (argument.name === 'township' && !field.args.some((other) => other.name === 'stationId')) ||
      // An optional input object only when it names something the test knows (a filter by stream, say).
      (isInputObjectType(argument.type) && value !== null && Object.values(known).some((id) => id !== '' && value.includes(id)));
    if (!wanted) continue;
    if (value === null) {
      if (isNonNullType(argument.type)) return null;
      continue;
    }
    parts.push(`${argument.name}: ${value}`);
  }
  return parts.length ? `(${parts.join(', ')})` : '';
}

/** Every field under a type, to `depth` levels; a field whose required arguments cannot be filled is left out. */
function selection(schema: GraphQLSchema, typeName: string, depth: number, known: Known): string {
  const type = schema.getType(typeName);
  if (!type) return '';
  if (isAbstractType(type))
    return `__typename ${schema
      .getPossibleTypes(type)
      .map((member) => `... on ${member.name} { ${selection(schema, member.name, depth, known)} }`)
      .join(' ')}`;
  if (!isObjectType(type)) return '';
  const parts: string[] = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    const args = argumentsOf(field, known, schema);
    if (args === null) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(`${field.name}${args}`);
    else if (depth > 1) {
      const inner = selection(schema, named.name, depth - 1, known);
      if (inner) parts.push(`${field.name}${args} { ${inner} }`);
    }
  }
  return parts.join(' ');
}

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`the privacy crawl on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    let schema: GraphQLSchema;
    let known: Known;
    const tokens = new Map<Viewer, string | null>();

    const ask = (token: string | null, query: string): Promise<{ status: number } & GraphQLAnswer> => postGraphQL(yoga, token, query);

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      await runtime.projector.catchUp();
      runtime.startProjector();
      yoga = createApp(runtime);

      // A deputy at a station that has a manager, and another deputy of the same station.
      const { rows: stations } = await testDb.db.query<{ stationId: string; managerId: string }>(
        `SELECT DISTINCT ON (stream_id) data->>'stationId' AS "stationId", data->>'managerPersonId' AS "managerId"
           FROM yingpan.events WHERE type = 'StationManagerAssigned' ORDER BY stream_id, position DESC`,
      );
      const { rows: assigned } = await testDb.db.query<{ personId: string; mandateId: string; stationId: string }>(
        `SELECT data->>'personId' AS "personId", data->>'mandateId' AS "mandateId", data->>'stationId' AS "stationId"
           FROM yingpan.events WHERE type = 'DeputyAssignedToStation' ORDER BY position DESC`,
      );
      const station = stations.find((candidate) => assigned.filter((row) => row.stationId === candidate.stationId).length >= 2)!;
      const [receiver, colleague] = assigned.filter((row) => row.stationId === station.stationId);
      const elsewhere = assigned.find((row) => row.stationId !== station.stationId && row.personId !== receiver!.personId)!;
      const otherManager = stations.find((candidate) => candidate.managerId !== station.managerId)!;

      const staff = await runtime.tokens.mint({ role: 'staff' });
      const opinionId = randomUUID();
      const planted = await ask(
        staff,
        `mutation { registerOpinion(input: { commandId: "${randomUUID()}", opinionId: "${opinionId}", stationId: "${station.stationId}",
           receivedByPersonId: "${receiver!.personId}", voter: { name: "${VOTER.name}", phone: "${VOTER.phone}", address: "${VOTER.address}" },
           content: "${WORDS}", category: "城乡建设", registeredOn: "${TEST_TODAY}", deadline: "${TEST_TODAY}" }) { __typename ... on Rejection { code messageZh } } }`,
      );
      expect(planted.data?.registerOpinion, JSON.stringify(planted)).toEqual({ __typename: 'CommandResult' });
      const { rows: township } = await testDb.db.query<{ township: string }>(
        `SELECT data->>'township' AS township FROM yingpan.events WHERE type = 'StationEstablished' AND data->>'stationId' = $1`,
        [station.stationId],
      );
      const { rows: record } = await testDb.db.query<{ recordId: string }>(
        `SELECT data->>'recordId' AS "recordId" FROM yingpan.events WHERE data->>'personId' = $1 AND data ? 'recordId' ORDER BY position DESC LIMIT 1`,
        [receiver!.personId],
      );
      const { rows: term } = await testDb.db.query<{ termId: string }>(
        `SELECT data->>'termId' AS "termId" FROM yingpan.events WHERE data ? 'termId' ORDER BY position DESC LIMIT 1`,
      );
      known = {
        termId: term[0]!.termId,
        stationId: station.stationId,
        township: township[0]?.township ?? '',
        personId: receiver!.personId,
        mandateId: receiver!.mandateId,
        opinionId,
        streamId: `opinion:${opinionId}`,
        recordId: record[0]?.recordId ?? randomUUID(),
      };

      tokens.set('public', null);
      tokens.set('receiver', await runtime.tokens.mint({ role: 'deputy', personId: receiver!.personId }));
      tokens.set('same-station-deputy', await runtime.tokens.mint({ role: 'deputy', personId: colleague!.personId }));
      tokens.set('deputy-elsewhere', await runtime.tokens.mint({ role: 'deputy', personId: elsewhere.personId }));
      tokens.set('station-manager', await runtime.tokens.mint({ role: 'station-manager', personId: station.managerId }));
      tokens.set('other-manager', await runtime.tokens.mint({ role: 'station-manager', personId: otherManager.managerId }));
      tokens.set('staff', staff);
      tokens.set('committee-member', await runtime.tokens.mint({ role: 'committee-member', personId: colleague!.personId }));
      tokens.set('auditor', await runtime.tokens.mint({ role: 'auditor' }));
      tokens.set('admin', await runtime.tokens.mint({ role: 'admin' }));

      const introspection = await ask(staff, getIntrospectionQuery());
      schema = buildClientSchema(introspection.data as IntrospectionQuery);
    });

    afterAll(async () => {
      await runtime?.close();
      await testDb?.dispose();
    });

    /** One root field asked as `viewer`, as deep as the API's cost limit lets it be. */
    async function crawl(token: string | null, field: GraphQLField<unknown, unknown>): Promise<{ text: string; outcome: string }> {
      const args = argumentsOf(field, known, schema);
      if (args === null) return { text: '', outcome: 'unfillable' };
      const named = getNamedType(field.type);
      let last = '';
      for (let depth = DEPTH; depth >= 2; depth--) {
        const inner = isLeafType(named) ? '' : ` { ${selection(schema, named.name, depth - 1, known)} }`;
        const answer = await ask(token, `{ ${field.name}${args}${inner} }`);
        const text = JSON.stringify(answer);
        const codes = (answer.errors ?? []).map((error) => String(error.extensions?.code ?? error.message));
        if (codes.includes('query-too-costly')) {
          last = text;
          continue;
        }
        const outcome = answer.data?.[field.name] != null ? `answered (depth ${depth})` : codes.length ? `refused: ${[...new Set(codes)].join(', ')}` : 'null';
        return { text, outcome };
      }
      return { text: last, outcome: 'too costly at every depth' };
    }

    it('never shows the planted voter to a viewer who may not see it, and shows it to each who may', async () => {
      const fields = Object.values(schema.getQueryType()!.getFields());
      expect(fields.length, 'introspection lists the queries').toBeGreaterThan(30);
      const report: string[] = [];
      const leaks: string[] = [];
      for (const viewer of tokens.keys()) {
        const token = tokens.get(viewer)!;
        const seenIn: string[] = [];
        let answered = 0;
        for (const field of fields) {
          const { text, outcome } = await crawl(token, field);
          if (outcome.startsWith('answered')) answered++;
          const shown = MARKERS.filter((marker) => text.includes(marker));
          if (shown.length === 0) continue;
          seenIn.push(field.name);
          if (!MAY_SEE.has(viewer)) leaks.push(`${viewer} reads ${shown.join(', ')} through ${field.name} (${outcome})`);
        }
        report.push(`${viewer}: ${answered}/${fields.length} fields answered; voter seen in ${seenIn.join(', ') || 'nothing'}`);
        // Those who may see the voter find them (the crawl reaches the opinion); and in the books, name and words both.
        if (MAY_SEE.has(viewer)) expect(seenIn, `${viewer} finds the planted voter`).toContain('stationBooks');
        // The log and a stream's history hold the voter too: the crawl reads them as those who may.
        if (viewer === 'auditor') expect(seenIn, 'the auditor finds the voter in the log').toEqual(expect.arrayContaining(['events', 'streamHistory']));
      }
      console.info(`[privacy crawl] ${report.join('\n[privacy crawl] ')}`);
      expect(leaks).toEqual([]);
    });
  });
}
