/** The zod → GraphQL input converter behind the generated command mutations (no database). */
import { commandDefinitions } from '@yingpan/domain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldShape, generatedCommands, HAND_WRITTEN, inputProblem, JSON_LIMITS, mutationName, objectFields, toDomainInput } from '../src/schema/commands.ts';
import { schema } from '../src/schema/index.ts';

/*
 * The schema is read through its own methods, not graphql's `isInputObjectType` & co: under Vitest
 * this file's `graphql` can be a second copy of the module, whose instanceof checks would fail.
 */
interface AnyField {
  name: string;
  description?: string | null;
  type: { toString(): string };
}
const fieldsOf = (name: string): Record<string, AnyField> => {
  const type = schema.getType(name) as unknown as { getFields?: () => Record<string, AnyField> } | undefined;
  if (!type?.getFields || 'getInterfaces' in type) throw new Error(`${name} is not an input type`);
  return type.getFields();
};
const typesOf = (name: string) => Object.fromEntries(Object.entries(fieldsOf(name)).map(([field, { type }]) => [field, String(type)]));
const namedType = (type: { toString(): string }) => String(type).replace(/[[\]!]/g, '');

describe('fieldShape', () => {
  it('maps scalars: uuid → id, iso date → date, int → int, number → float, boolean, text → string', () => {
    const fields = objectFields(
      z.object({
        id: z.uuid(),
        on: z.iso.date(),
        count: z.number().int().min(0),
        amount: z.number().nonnegative(),
        flag: z.boolean(),
        name: z.string().trim().min(1).max(100),
        at: z.iso.datetime(),
      }),
    );
    expect(Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.shape.kind]))).toEqual({
      id: 'id',
      on: 'date',
      count: 'int',
      amount: 'float',
      flag: 'boolean',
      name: 'string',
      at: 'string',
    });
    expect(fields.name!.limits).toBe('1–100 characters.');
    expect(fields.count!.limits).toBe('≥ 0.');
    expect(fields.amount!.limits).toBe('≥ 0.');
  });

  it('tells required from optional, and whether null reaches the domain', () => {
    const fields = objectFields(
      z.object({
        plain: z.string(),
        optional: z.string().optional(),
        nullable: z.string().nullable(),
        defaulted: z.boolean().default(false),
        nullDefault: z.enum(['a', 'b']).nullable().default(null),
        list: z.array(z.string()).max(3).default([]),
      }),
    );
    const summary = Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, [field.required, field.acceptsNull]]));
    expect(summary).toEqual({
      plain: [true, false],
      optional: [false, false],
      nullable: [false, true],
      defaulted: [false, false],
      nullDefault: [false, true],
      list: [false, false],
    });
  });

  it('maps enums and string literals to enums, arrays to lists, objects to nested shapes, the rest to JSON', () => {
    const shape = fieldShape(
      z.object({
        kind: z.enum(['deputy-home', 'liaison-station']),
        period: z.literal('year'),
        slots: z.array(z.object({ day: z.number().int().min(1).max(31).describe('day of the month') })).min(1),
        corrected: z.record(z.string(), z.unknown()),
        anything: z.unknown(),
        either: z.union([z.string(), z.number()]),
        grid: z.array(z.array(z.number())),
      }),
    );
    expect(shape.shape.kind).toBe('object');
    const fields = (shape.shape as { fields: Record<string, ReturnType<typeof fieldShape>> }).fields;
    expect(fields.kind!.shape).toEqual({ kind: 'enum', values: ['deputy-home', 'liaison-station'] });
    expect(fields.period!.shape).toEqual({ kind: 'enum', values: ['year'] });
    expect(fields.slots!.shape.kind).toBe('list');
    expect(fields.slots!.limits).toBe('At least 1 items.');
    const item = (fields.slots!.shape as { item: ReturnType<typeof fieldShape> }).item;
    expect(item.shape.kind).toBe('object');
    const day = (item.shape as { fields: Record<string, ReturnType<typeof fieldShape>> }).fields.day!;
    expect(day).toMatchObject({ shape: { kind: 'int' }, description: 'day of the month', limits: '≥ 1 and ≤ 31.' });
    expect([fields.corrected, fields.anything, fields.either, fields.grid].map((field) => field!.shape.kind)).toEqual(['json', 'json', 'json', 'json']);
  });

  it('passes named object fields whole as JSON when asked', () => {
    const fields = objectFields(z.object({ rules: z.object({ a: z.number() }).nullable().default(null) }), { jsonFields: new Set(['rules']) });
    expect(fields.rules).toMatchObject({ shape: { kind: 'json' }, required: false, acceptsNull: true });
  });
});

describe('toDomainInput', () => {
  const fields = objectFields(
    z.object({
      id: z.uuid(),
      optional: z.uuid().optional(),
      nullable: z.string().nullable().default(null),
      topics: z.array(z.string()).default([]),
      voter: z.object({ name: z.string(), phone: z.string().nullable().default(null) }),
      deputies: z.array(z.object({ personId: z.uuid(), recordId: z.uuid().optional() })),
    }),
  );

  it('leaves out a null the schema does not take, so optional fields stay absent and defaults apply', () => {
    const input = toDomainInput(fields, {
      id: 'x',
      optional: null,
      nullable: null,
      topics: null,
      voter: { name: 'n' },
      deputies: [{ personId: 'p', recordId: null }],
    });
    expect(input).toEqual({ id: 'x', nullable: null, voter: { name: 'n', phone: null }, deputies: [{ personId: 'p' }] });
    const schema = z.object({
      id: z.string(),
      optional: z.string().optional(),
      nullable: z.string().nullable().default(null),
      topics: z.array(z.string()).default([]),
      voter: z.object({ name: z.string(), phone: z.string().nullable().default(null) }),
      deputies: z.array(z.object({ personId: z.string(), recordId: z.string().optional() })),
    });
    expect(schema.safeParse(input).success).toBe(true);
  });

  it('an empty input is refused by every command’s schema (reported, never thrown)', () => {
    for (const definition of commandDefinitions) {
      const fields = generatedCommands.get(definition.name);
      if (!fields) continue;
      const parsed = definition.input.safeParse(toDomainInput(fields, {}));
      // Missing required fields are reported by the schema, never thrown.
      expect(parsed.success).toBe(false);
    }
  });
});

describe('inputProblem', () => {
  const fields = objectFields(
    z.object({ name: z.string(), items: z.array(z.string()), voter: z.object({ name: z.string() }), data: z.record(z.string(), z.unknown()) }),
  );
  const ok = { name: 'a', items: ['b'], voter: { name: 'c' }, data: { d: ['e', 1, true, null] } };

  it('accepts clean text and plain JSON', () => {
    expect(inputProblem(fields, ok)).toBeNull();
    expect(inputProblem(fields, { ...ok, name: '代表之家 😀' })).toBeNull();
  });

  it('names the field holding NUL or an unpaired surrogate, wherever it is', () => {
    expect(inputProblem(fields, { ...ok, name: 'a\u0000b' })?.[0]).toBe('name');
    expect(inputProblem(fields, { ...ok, items: ['fine', '\ud800'] })?.[0]).toBe('items.1');
    expect(inputProblem(fields, { ...ok, voter: { name: 'x\udc00' } })?.[0]).toBe('voter.name');
    expect(inputProblem(fields, { ...ok, data: { 'key\u0000': 1 } })?.[0]).toBe('data');
    expect(inputProblem(fields, { ...ok, data: { a: [{ b: 'c\u0000' }] } })?.[0]).toBe('data');
  });

  it('refuses JSON nested too deep or too large', () => {
    let deep: unknown = 1;
    for (let level = 0; level < JSON_LIMITS.depth + 1; level++) deep = { a: deep };
    expect(inputProblem(fields, { ...ok, data: deep })?.[1]).toMatch(/nested at most/);
    let fits: unknown = 1;
    for (let level = 0; level < JSON_LIMITS.depth - 1; level++) fits = [fits];
    expect(inputProblem(fields, { ...ok, data: { a: fits } })).toBeNull();
    expect(inputProblem(fields, { ...ok, data: { a: 'x'.repeat(JSON_LIMITS.characters) } })?.[1]).toMatch(/at most/);
    expect(inputProblem(fields, { ...ok, data: Object.fromEntries(Array.from({ length: 20_000 }, (_, index) => [`k${index}`, index])) })?.[1]).toMatch(
      /at most/,
    );
  });
});

describe('the generated schema', () => {
  it('has one mutation per command but the hand-written ones, with an input field per schema field plus commandId and occurredAt', () => {
    const mutations = schema.getMutationType()!.getFields();
    for (const definition of commandDefinitions) {
      const field = mutations[mutationName(definition.name)];
      expect(field, definition.name).toBeDefined();
      if (HAND_WRITTEN.has(definition.name)) continue;
      expect(field!.description).toContain(definition.description);
      expect(String(field!.args[0]!.type)).toBe(`${definition.name}Input!`);
      const names = Object.keys(fieldsOf(`${definition.name}Input`)).sort();
      expect(names).toEqual([...Object.keys((definition.input as z.ZodObject).shape), 'commandId', 'occurredAt'].sort());
      expect(String(field!.type)).toBe(`${definition.name}Payload!`);
    }
    expect(mutations.recordTrainingAttendance!.args[0]!.type.toString()).toBe('RecordTrainingAttendanceInput!');
  });

  it('types the fields as the schemas say', () => {
    expect(typesOf('RegisterPersonInput')).toEqual({
      commandId: 'ID!',
      occurredAt: 'String',
      personId: 'ID!',
      name: 'String!',
      gender: 'RegisterPersonGender',
      publicServant: 'Boolean',
    });
    expect(typesOf('StartMandateInput')).toMatchObject({ kind: 'MandateKind!', level: 'Level', publicServant: 'Boolean!', startsOn: 'String!' });
    expect(typesOf('OrganiseTrainingInput')).toMatchObject({ trainingType: 'TrainingType!' });
    expect(typesOf('OrganiseActivityInput')).toMatchObject({ kind: 'OrganiseActivityKind!', forms: '[OrganiseActivityForms!]' });
    expect(typesOf('RegisterOpinionInput')).toMatchObject({ voter: 'RegisterOpinionVoterInput!', receptionId: 'ID' });
    expect(typesOf('RegisterOpinionVoterInput')).toEqual({ name: 'String!', phone: 'String', address: 'String' });
    expect(typesOf('RecordVoterReceptionInput')).toMatchObject({
      votersReceived: 'Int!',
      topics: '[String!]',
      deputies: '[RecordVoterReceptionDeputiesInput!]!',
    });
    expect(typesOf('RecordStationUpgradeInput')).toMatchObject({ amountYuan: 'Float!', items: '[String!]!' });
    expect(typesOf('PublishReceptionTimesScheduleInput')).toEqual({ repeat: 'SlotRepeat!', day: 'Int!', startTime: 'String!', endTime: 'String!' });
    expect(typesOf('CorrectRecordInput')).toMatchObject({ corrected: 'JSON!', streamId: 'String!' });
    expect(typesOf('EnactRegulationInput')).toMatchObject({ scoringRules: 'JSON', category: 'EnactRegulationCategory!' });
    expect(typesOf('RateDutyReportInput')).toMatchObject({ votes: 'RateDutyReportVotesInput!', year: 'Int!' });
  });

  it('makes one enum per set of values, SCREAMING_SNAKE_CASE for the domain’s kebab-case, described by the domain’s labels', () => {
    const category = schema.getType('EnactRegulationCategory') as unknown as { getValues(): { name: string; value: unknown }[] };
    expect(
      category
        .getValues()
        .map((value) => [value.name, value.value])
        .sort(),
    ).toEqual([
      ['OTHER', 'other'],
      ['PROCEDURE', 'procedure'],
      ['SCORING', 'scoring'],
      ['STATION', 'station'],
    ]);
    // A value set the read models already name reuses their enum: opinions and suggestion ratings share one.
    expect(typesOf('CloseOpinionInput').satisfaction).toBe('OpinionSatisfaction!');
    expect(typesOf('RateSuggestionInput').rating).toBe('OpinionSatisfaction!');
    expect(schema.getType('CloseOpinionSatisfaction')).toBeUndefined();
    expect(schema.getType('RateSuggestionRating')).toBeUndefined();
  });

  it('describes every input field it generates, saying YYYY-MM-DD for dates', () => {
    for (const name of generatedCommands.keys()) {
      for (const field of Object.values(fieldsOf(`${name}Input`))) {
        expect(field.description, `${name}.${field.name}`).toBeTruthy();
        const named = namedType(field.type);
        if (named.endsWith('Input')) for (const nested of Object.values(fieldsOf(named))) expect(nested.description, `${named}.${nested.name}`).toBeTruthy();
      }
    }
    expect(fieldsOf('RecordStationVisitInput').date!.description).toContain('YYYY-MM-DD');
    expect(fieldsOf('StartMandateInput').startsOn!.description).toContain('YYYY-MM-DD');
  });
});

describe('the inputs generator', () => {
  /** Every input type reachable from a command's input, nested ones included. */
  const inputTypes = (name: string, into = new Set<string>()): Set<string> => {
    if (into.has(name)) return into;
    into.add(name);
    for (const field of Object.values(fieldsOf(name))) {
      const named = namedType(field.type);
      if (named.endsWith('Input')) inputTypes(named, into);
    }
    return into;
  };

  it('covers every command schema: a mutation and an input type per command, one field per schema field', () => {
    const mutations = (schema.getMutationType() as unknown as { getFields(): Record<string, AnyField> }).getFields();
    for (const definition of commandDefinitions) {
      expect(mutations[mutationName(definition.name)], definition.name).toBeDefined();
      if (HAND_WRITTEN.has(definition.name)) continue;
      expect(generatedCommands.has(definition.name), definition.name).toBe(true);
      const json = z.toJSONSchema(definition.input, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, unknown> };
      expect(Object.keys(generatedCommands.get(definition.name)!).sort(), definition.name).toEqual(Object.keys(json.properties).sort());
    }
    expect(generatedCommands.size + HAND_WRITTEN.size).toBe(commandDefinitions.length);
  });

  it('puts no regular expression in a description: formats are said in words', () => {
    const regex = /\/\^|\$\/|\\[dDwWsSu]|\[\^|\(\?:|Must match/;
    let described = 0;
    for (const name of generatedCommands.keys()) {
      for (const type of inputTypes(`${name}Input`)) {
        const described_ = (schema.getType(type) as unknown as { description?: string | null }).description ?? '';
        expect(described_, type).not.toMatch(regex);
        for (const field of Object.values(fieldsOf(type))) {
          expect(field.description ?? '', `${type}.${field.name}`).not.toMatch(regex);
          described++;
        }
      }
    }
    expect(described).toBeGreaterThan(200);
    // The formats the patterns checked are said in words instead.
    expect(fieldsOf('CorrectRecordInput').streamId!.description).toContain('a colon and a UUID');
    expect(fieldsOf('RegisterPersonInput').name!.description).toBe('Name. 1–100 characters.');
  });

  it('refuses to build a field whose pattern has no words', () => {
    expect(() => fieldShape(z.string().regex(/^[xyz]+$/), {}, 'code')).toThrow(/No words for the input pattern/);
  });
});
