/**
 * Properties of every generated command mutation under malformed and hostile input (PGlite, the
 * small demo county): each answer is a typed Rejection, a GraphQL validation error or a success —
 * never a masked "Unexpected error." — and a refused command leaves the log's head where it was.
 *
 * Inputs start well-formed (every required field of the right GraphQL type; ids drawn from the
 * county's own records or fresh, so the domain's rules run on real streams) and are then, most of
 * the time, damaged at one place: a value of the wrong type, a missing or unknown field, huge text,
 * SQL and HTML payloads, NUL and unpaired surrogates, deeply nested JSON, negative and out-of-range
 * numbers, impossible dates and malformed UUIDs.
 */
import { everyEngine, type TestDb } from '@yingpan/db/testing';
import { openCountyImage } from '@yingpan/projections/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { authHeaders, tokenFor } from './graphql-client.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { generatedCommands, mutationName, type FieldShape } from '../src/schema/commands.ts';

const pglite = everyEngine.find((target) => target.name === 'pglite')!;

/** Ids of the county's records, by what they name. */
type Pools = Record<
  'person' | 'mandate' | 'term' | 'station' | 'activity' | 'opinion' | 'suggestion' | 'pairing' | 'regulation' | 'reception' | 'record' | 'stream',
  string[]
>;

const POOL_OF: [RegExp, keyof Pools][] = [
  [/person/i, 'person'],
  [/mandate/i, 'mandate'],
  [/^termId$/, 'term'],
  [/^stationId$/, 'station'],
  [/^activityId$/, 'activity'],
  [/^opinionId$/, 'opinion'],
  [/^suggestionId$/, 'suggestion'],
  [/^pairingId$/, 'pairing'],
  [/^regulationId$/, 'regulation'],
  [/^receptionId$/, 'reception'],
  [/^recordId$/, 'record'],
];

const enumName = (value: string) => value.toUpperCase().replaceAll('-', '_');

/** A value of the field's GraphQL type; ids from the county's records half the time. */
function wellFormed(field: FieldShape, name: string, pools: Pools): fc.Arbitrary<unknown> {
  const { shape } = field;
  switch (shape.kind) {
    case 'id': {
      const pool = POOL_OF.find(([pattern]) => pattern.test(name))?.[1];
      return pool && pools[pool].length ? fc.oneof(fc.constantFrom(...pools[pool]), fc.uuid()) : fc.uuid();
    }
    case 'date':
      return fc.date({ min: new Date('2015-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
    case 'int':
      return fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1990, max: 2030 }), fc.integer({ min: -10, max: 10_000 }));
    case 'float':
      return fc.double({ min: -10, max: 1e7, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...shape.values.map(enumName));
    case 'list':
      return fc.array(wellFormed(shape.item, name, pools), { maxLength: 3 });
    case 'object':
      return objectOf(shape.fields, pools);
    case 'json':
      return fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }), fc.jsonValue({ maxDepth: 2 }));
    default:
      if (name === 'streamId') return fc.oneof(fc.constantFrom(...pools.stream), fc.string({ maxLength: 40 }));
      if (/Time$/.test(name)) return fc.oneof(fc.constantFrom('08:30', '17:00', '23:59'), fc.string({ maxLength: 6 }));
      // Any text is a GraphQL String: payloads, NUL and unpaired surrogates included.
      return fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
        fc.constantFrom('县人大常委会', '代表之家', '关于农村饮水安全的调研', ...PAYLOADS),
      );
  }
}

function objectOf(fields: Record<string, FieldShape>, pools: Pools): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    Object.fromEntries(
      Object.entries(fields).map(([name, field]) => [
        name,
        field.required ? wellFormed(field, name, pools) : fc.option(wellFormed(field, name, pools), { nil: undefined }),
      ]),
    ),
    { requiredKeys: Object.keys(fields).filter((name) => fields[name]!.required) },
  ) as fc.Arbitrary<Record<string, unknown>>;
}

const nest = (depth: number, leaf: unknown = 'x'): unknown => {
  let value = leaf;
  for (let level = 0; level < depth; level++) value = level % 2 ? [value] : { a: value };
  return value;
};

const PAYLOADS = [
  "'; DROP TABLE yingpan.events; --",
  "1' OR '1'='1",
  '$1; DELETE FROM yingpan.events WHERE true',
  '<script>alert("x")</script>',
  '<img src=x onerror=alert(1)>',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff\ud800y',
  '\u202e\u200b\ufeff',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile string, not a template
  '${jndi:ldap://example.invalid/a}',
  '../../../../etc/passwd',
  '__proto__',
  'constructor',
  '',
  '   ',
  '\n\t',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '+002026-01-01',
  '2026-1-1',
  '20261001',
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA',
  'station:00000000-0000-0000-0000-000000000000',
  'NaN',
  'Infinity',
  '1e309',
  '9999-12-31T23:59:59Z',
  '1970-01-01T00:00:00Z',
];

/** A value a careless or hostile client might send in place of any field. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...PAYLOADS),
  fc.constantFrom(null, true, false, 0, -0, -1, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, 1.5, -1e300, [], {}),
  fc.integer({ min: -(2 ** 31), max: -1 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .integer({ min: 1_000, max: 200_000 })
    .chain((length) => fc.constantFrom('x'.repeat(length), '测'.repeat(length), `${'\u0000'.repeat(3)}${'y'.repeat(length)}`)),
  fc.integer({ min: 10, max: 2_000 }).map((depth) => nest(depth)),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'a', 'voter', 'name'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A high surrogate not followed by a low one, or a low one not after a high one. */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Path = (string | number)[];

/** Every place in a value a payload can go: each object key and list item, at any depth. */
function placesIn(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => [[...path, index], ...placesIn(item, [...path, index])]);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => [[...path, key], ...placesIn(item, [...path, key])]);
  return [];
}

/** A copy of `value` with `path` set to `replacement` (removed when `replacement` is `REMOVE`). */
const REMOVE = Symbol('remove');
function setAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  if (rest.length === 0 && replacement === REMOVE) {
    if (Array.isArray(copy)) copy.splice(head as number, 1);
    else delete copy[head as string];
  } else copy[head as string] = setAt(copy[head as string], rest, replacement);
  return copy;
}

/** A well-formed input (with commandId and occurredAt), then, two times in three, damaged at one place. */
function inputFor(fields: Record<string, FieldShape>, pools: Pools): fc.Arbitrary<{ input: Record<string, unknown>; damage: string }> {
  const base = fc
    .tuple(
      objectOf(fields, pools),
      fc.uuid(),
      fc.option(
        fc.date({ min: new Date('2016-01-01'), max: new Date(), noInvalidDate: true }).map((date) => date.toISOString()),
        { nil: undefined },
      ),
    )
    .map(([input, commandId, occurredAt]) => ({ ...input, commandId, ...(occurredAt ? { occurredAt } : {}) }));
  return base.chain((input) => {
    const places = placesIn(input);
    return fc.oneof(
      { weight: 1, arbitrary: fc.constant({ input, damage: 'none' }) },
      {
        weight: 2,
        arbitrary: fc.oneof(
          fc
            .tuple(fc.constantFrom(...places), hostile)
            .map(([path, value]) => ({ input: setAt(input, path, value) as Record<string, unknown>, damage: `${path.join('.')} = ${preview(value)}` })),
          fc.constantFrom(...places).map((path) => ({ input: setAt(input, path, REMOVE) as Record<string, unknown>, damage: `${path.join('.')} removed` })),
          fc.tuple(fc.constantFrom(...places), fc.constantFrom('unknownField', '__proto__', 'actor', 'role')).map(([path, key]) => {
            const parent = path.slice(0, -1);
            return { input: setAt(input, [...parent, key], 'x') as Record<string, unknown>, damage: `${[...parent, key].join('.')} added` };
          }),
        ),
      },
    );
  });
}

const preview = (value: unknown) => {
  const text =
    typeof value === 'string'
      ? JSON.stringify(value)
      : (() => {
          try {
            return JSON.stringify(value) ?? String(value);
          } catch {
            return String(value);
          }
        })();
  return text.length > 60 ? `${text.slice(0, 60)}… (${text.length} chars)` : text;
};

describe(`generated command mutations under malformed and hostile input on ${pglite.name}`, () => {
  let testDb: TestDb;
  let runtime: Runtime;
  let yoga: ReturnType<typeof createApp>;
  /** The administrator may issue every command, so the domain's rules (not a role check) answer. */
  let token: string | null = null;
  let pools: Pools;
  const tally = { rejection: 0, invalid: 0, success: 0 };

  beforeAll(async () => {
    testDb = await openCountyImage(pglite, { seed: 7, scale: 'small' });
    runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
    await runtime.projector.catchUp();
    runtime.startProjector();
    yoga = createApp(runtime);
    token = await tokenFor(runtime, 'admin');
    const ids = async (sql: string) =>
      (await testDb.db.query<{ id: string }>(`SELECT DISTINCT id FROM (${sql}) ids ORDER BY id LIMIT 40`)).rows.map((row) => row.id);
    const ofType = (type: string, key: string) => ids(`SELECT data->>'${key}' AS id FROM yingpan.events WHERE type = '${type}'`);
    pools = {
      person: await ofType('PersonRegistered', 'personId'),
      mandate: await ofType('MandateStarted', 'mandateId'),
      term: await ofType('TermOpened', 'termId'),
      station: await ofType('StationEstablished', 'stationId'),
      activity: await ids(`SELECT data->>'activityId' AS id FROM yingpan.events WHERE type IN ('ActivityOrganised', 'TrainingOrganised')`),
      opinion: await ofType('OpinionRegistered', 'opinionId'),
      suggestion: await ofType('SuggestionDrafted', 'suggestionId'),
      pairing: await ofType('PairingFormed', 'pairingId'),
      regulation: await ofType('RegulationEnacted', 'regulationId'),
      reception: await ofType('VoterReceptionHeld', 'receptionId'),
      record: await ids(`SELECT data->>'recordId' AS id FROM yingpan.events WHERE data ? 'recordId'`),
      stream: await ids(`SELECT stream_id AS id FROM yingpan.events WHERE data ? 'recordId'`),
    };
  });
  afterAll(async () => {
    await runtime?.close();
    await testDb?.dispose();
  });

  it.each([...generatedCommands.keys()])('%s answers every input with a Rejection, a validation error or a success', async (command) => {
    const fields = generatedCommands.get(command)!;
    const field = mutationName(command);
    const document = /* GraphQL */ `
      mutation Run($input: ${command}Input!) {
        ${field}(input: $input) {
          __typename
          ... on CommandResult { duplicate position events { position } }
          ... on Rejection { code field messageZh messageEn }
        }
      }`;
    await fc.assert(
      fc.asyncProperty(inputFor(fields, pools), async ({ input }) => {
        const before = await runtime.store.head();
        const response = await yoga.fetch('http://yoga/graphql', {
          method: 'POST',
          headers: authHeaders(token),
          body: JSON.stringify({ query: document, variables: { input } }),
        });
        const after = await runtime.store.head();
        if (response.status === 413) {
          // Over the API's request size limit: refused before parsing.
          expect(after).toEqual(before);
          tally.invalid++;
          return;
        }
        const body = (await response.json()) as { data?: Record<string, any> | null; errors?: { message: string; extensions?: unknown }[] };
        if (body.errors) {
          // A GraphQL validation error (wrong type, missing or unknown field): the request never ran.
          for (const error of body.errors) expect(error.message).not.toMatch(/Unexpected error/);
          expect(body.errors[0]!.message).toMatch(/Variable "\$input"/);
          expect(body.data?.[field] ?? null).toBeNull();
          expect(after).toEqual(before);
          tally.invalid++;
          return;
        }
        const answer = body.data![field];
        if (answer.__typename === 'Rejection') {
          expect(answer.code).toMatch(/^[a-z][a-z-]*$/);
          expect(answer.messageZh.length).toBeGreaterThan(0);
          expect(answer.messageEn.length).toBeGreaterThan(0);
          expect(after).toEqual(before);
          tally.rejection++;
          return;
        }
        expect(answer.__typename).toBe('CommandResult');
        const data = answer;
        if (data.duplicate || data.events.length === 0) expect(after).toEqual(before);
        else {
          expect(after.position).toBe(before.position + data.events.length);
          expect(data.position).toBe(after.position);
        }
        tally.success++;
      }),
      { numRuns: Number(process.env.COMMAND_RUNS ?? 30) },
    );
  });

  /**
   * Text the domain accepts is stored exactly (trimmed), payloads included; text the log cannot
   * hold is refused as invalid input. Each command here records a new thing when its text is fine.
   */
  it.each([
    { command: 'RegisterPerson', textField: 'name', max: 100, rest: () => ({ personId: crypto.randomUUID() }) },
    {
      command: 'OrganiseTraining',
      textField: 'title',
      max: 200,
      rest: () => ({ activityId: crypto.randomUUID(), trainingType: 'EXPERT_LECTURE', date: '2026-03-01' }),
    },
    {
      command: 'EstablishStation',
      textField: 'address',
      max: 200,
      rest: () => ({ stationId: crypto.randomUUID(), type: 'DEPUTY_HOME', name: '测试代表之家', township: '测试镇', establishedOn: '2026-01-01' }),
    },
  ])('$command stores any acceptable $textField verbatim and refuses the rest as invalid input', async ({ command, textField, max, rest }) => {
    const field = mutationName(command);
    const document = /* GraphQL */ `
      mutation Run($input: ${command}Input!) {
        ${field}(input: $input) {
          __typename
          ... on CommandResult { position }
          ... on Rejection { code field }
        }
      }`;
    const text = fc.oneof(
      fc.constantFrom(...PAYLOADS),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
      fc
        .tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\u0000', '\ud800', '\udc00', "'", '"', '\\', '<', '&'), fc.string({ maxLength: 10 }))
        .map((parts) => parts.join('')),
    );
    await fc.assert(
      fc.asyncProperty(text, async (value) => {
        const before = await runtime.store.head();
        const response = await yoga.fetch('http://yoga/graphql', {
          method: 'POST',
          headers: authHeaders(token),
          body: JSON.stringify({ query: document, variables: { input: { commandId: crypto.randomUUID(), ...rest(), [textField]: value } } }),
        });
        const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
        expect(body.errors).toBeUndefined();
        const answer = body.data![field];
        const trimmed = value.trim();
        const storable = trimmed.length >= 1 && trimmed.length <= max && !trimmed.includes('\u0000') && !UNPAIRED_SURROGATE.test(trimmed);
        if (!storable) {
          expect(answer).toEqual({ __typename: 'Rejection', code: 'invalid-input', field: textField });
          expect(await runtime.store.head()).toEqual(before);
          return;
        }
        expect(answer.__typename).toBe('CommandResult');
        const { rows } = await testDb.db.query<{ text: string }>(`SELECT data->>'${textField}' AS text FROM yingpan.events WHERE position = $1`, [
          answer.position,
        ]);
        expect(rows[0]!.text).toBe(trimmed);
      }),
      { numRuns: Number(process.env.TEXT_RUNS ?? 60) },
    );
  });

  it('kept the log whole: the hash chain verifies after all of it', async () => {
    const result = await runtime.store.verify();
    expect(result).toMatchObject({ ok: true });
    // Whatever the domain accepted, every projection could apply.
    const failures = (await runtime.projector.status()).filter((status) => status.failure);
    expect(failures).toEqual([]);
    // The runs above met every kind of answer.
    expect(tally.rejection).toBeGreaterThan(100);
    expect(tally.invalid).toBeGreaterThan(100);
    expect(tally.success).toBeGreaterThan(0);
  });
});
