/**
 * One mutation per domain command, generated from `commandDefinitions`: `RecordStationVisit`
 * becomes `recordStationVisit(input: RecordStationVisitInput!)`, its input type built from the
 * command's zod schema, its result the errors plugin's union of `CommandResult` and `Rejection`.
 *
 * Two layers. `fieldShape` and `objectFields` (pure, unit-tested) read a zod schema, through its
 * JSON Schema (`z.toJSONSchema`, zod's public API), into an `InputShape`: what
 * GraphQL can say of it (String, ID, date, Int, Float, Boolean, enum, list, nested input, JSON),
 * whether it may be left out, and whether the domain takes null for it. The rest of the file turns
 * those shapes into Pothos input types and mutations, and turns GraphQL's arguments back into the
 * plain object the command's schema parses: enums map back to the domain's kebab-case strings
 * (Pothos does that), a null the schema does not take is left out (so its default applies), and
 * text is checked for what the log cannot hold (NUL, unpaired surrogates) before the bus runs it.
 *
 * `RecordTrainingAttendance` is not generated: the hand-written `recordTrainingAttendance`
 * (training.ts) keeps the input shape the web client uses (`trainingId`, not `activityId`).
 */
import type { EnumRef as PothosEnumRef, InputFieldRef, InputObjectRef } from '@pothos/core';
import {
  ACT_KINDS,
  commandDefinitions,
  DomainError,
  LEVELS,
  MANDATE_KINDS,
  TEAMS,
  TRAINING_TYPES,
  ValidationError,
  type CommandDefinition,
} from '@yingpan/domain';
import * as domain from '@yingpan/domain';
import { z } from 'zod';
import { JsonScalar } from './audit.ts';
import { builder } from './builder.ts';
import { ActKind, Level, MandateKind, rolesText, Team } from './common.ts';
import { PairingKind } from './handover.ts';
import { OpinionSatisfaction, SlotRepeat, StationType } from './stations.ts';
import { TrainingType } from './training.ts';
import { CommandResultRef } from './command-result.ts';

// ---------------------------------------------------------------------------------------------
// Shapes: what a zod input schema says, in GraphQL's terms.

export type InputShape =
  | { kind: 'string' | 'id' | 'date' | 'int' | 'float' | 'boolean' | 'json' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'list'; item: FieldShape }
  | { kind: 'object'; fields: Record<string, FieldShape> };

export interface FieldShape {
  shape: InputShape;
  /** GraphQL must be given it: the schema takes neither undefined (optional, default) nor null. */
  required: boolean;
  /** The schema takes null: a missing value is passed as null; otherwise it is left out. */
  acceptsNull: boolean;
  /** The schema's own description (`.describe()`), if any. */
  description: string | null;
  /** Limits the schema sets, in words (e.g. "1–100 characters."), or null. */
  limits: string | null;
}

export interface ShapeOptions {
  /** Object fields passed whole as JSON rather than as nested input types (by field name). */
  jsonFields?: ReadonlySet<string>;
}

/** A JSON Schema node, as `z.toJSONSchema` writes it. */
export type JsonSchema = { [key: string]: unknown } & {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
};

/** A schema as JSON Schema, its input side (what a client sends: defaults make a field optional). */
export const jsonSchemaOf = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

/**
 * The input patterns the domain's schemas use, in words: a description states a format, never a
 * regular expression. A pattern not listed here stops the schema from being built, so a new one is
 * put in words before it reaches a client. `null`: said once for all text fields (their input
 * type's description), not per field.
 */
const PATTERN_WORDS: Record<string, string | null> = {
  // Text the log can store: no NUL, no unpaired surrogates (kernel/schemas.ts, every text field).
  '^[^\\u0000\\uD800-\\uDFFF]*$|^(?:[^\\u0000\\uD800-\\uDFFF]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])*$': null,
  '^[a-z][a-z-]*:[0-9a-f-]{36}$': 'A stream id: its category, a colon and a UUID, e.g. `station:<UUID>`.',
  '^(opinion|suggestion|pairing|station-duties):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$':
    'What it is about: `opinion:`, `suggestion:`, `pairing:` or `station-duties:` followed by a UUID.',
  '^([01]\\d|2[0-3]):[0-5]\\d$': 'A time of day, HH:MM (24-hour clock).',
  '^[a-z][a-z0-9-]*$': 'Lower-case letters, digits and hyphens, beginning with a letter.',
};

/** Named string formats not said by a field's kind (an id is a UUID, a date YYYY-MM-DD). */
const FORMAT_WORDS: Record<string, string> = {
  'date-time': 'An ISO 8601 instant, e.g. 2026-06-01T09:00:00Z.',
  email: 'An e-mail address.',
};

function patternWords(pattern: string): string | null {
  if (!(pattern in PATTERN_WORDS)) throw new Error(`No words for the input pattern /${pattern}/: add them to PATTERN_WORDS (commands.ts)`);
  return PATTERN_WORDS[pattern]!;
}

/** Limits a JSON Schema node sets, in words; bounds that only mean "a safe integer" are left out. */
export function limitsOf(json: JsonSchema, kind: InputShape['kind']): string | null {
  const num = (key: string) => {
    const value = json[key];
    return typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : null;
  };
  const range = (min: number | null, max: number | null, unit: string) =>
    min !== null && max !== null ? `${min}–${max} ${unit}.` : min !== null ? `At least ${min} ${unit}.` : max !== null ? `At most ${max} ${unit}.` : null;
  switch (kind) {
    case 'string':
      return (
        [
          range(num('minLength'), num('maxLength'), 'characters'),
          // A named format (uuid, date, date-time …) is said by its kind or in words; its pattern is how zod checks it.
          typeof json.format === 'string' ? (FORMAT_WORDS[json.format] ?? null) : typeof json.pattern === 'string' ? patternWords(json.pattern) : null,
        ]
          .filter(Boolean)
          .join(' ') || null
      );
    case 'int':
    case 'float': {
      const parts = [
        num('minimum') !== null ? `≥ ${num('minimum')}` : num('exclusiveMinimum') !== null ? `> ${num('exclusiveMinimum')}` : null,
        num('maximum') !== null ? `≤ ${num('maximum')}` : num('exclusiveMaximum') !== null ? `< ${num('exclusiveMaximum')}` : null,
      ].filter(Boolean);
      return parts.length ? `${parts.join(' and ')}.` : null;
    }
    case 'list':
      return range(num('minItems'), num('maxItems'), 'items');
    default:
      return null;
  }
}

const isNull = (node: JsonSchema) => node.type === 'null';

/**
 * The shape of one field's schema (a zod schema, read through its JSON Schema). Whether it may be
 * left out is its parent's `required`; a nullable field (`anyOf` with null) passes null to the
 * domain; records, unknown values, unions and other shapes GraphQL cannot state are JSON, checked by
 * the domain.
 */
export function fieldShape(schema: z.ZodType, options: ShapeOptions = {}, name = ''): FieldShape {
  // A lone field is required unless its input side takes undefined (optional or with a default).
  const wrapper = jsonSchemaOf(z.object({ [name || 'value']: schema }));
  return shapeOfJson(wrapper.properties![name || 'value']!, (wrapper.required ?? []).includes(name || 'value'), options, name);
}

/** The shape of a JSON Schema node; `listed`: its parent names it in `required`. */
function shapeOfJson(node: JsonSchema, listed: boolean, options: ShapeOptions, name: string): FieldShape {
  if (typeof node.$ref === 'string') throw new TypeError(`A command input schema refers to ${node.$ref}; inline it`);
  let inner = node;
  let acceptsNull = false;
  const others = node.anyOf?.filter((option) => !isNull(option));
  if (node.anyOf && others && others.length < node.anyOf.length) {
    acceptsNull = true;
    if (others.length === 1) inner = { ...others[0]!, description: others[0]!.description ?? node.description };
  }
  if (Array.isArray(node.type) && node.type.includes('null')) {
    acceptsNull = true;
    const types = node.type.filter((type) => type !== 'null');
    inner = { ...node, type: types.length === 1 ? types[0] : types };
  }
  const shape = acceptsNull && others && others.length > 1 ? ({ kind: 'json' } as const) : baseShape(inner, options, name);
  return {
    shape,
    required: listed && !acceptsNull,
    acceptsNull,
    description: inner.description ?? node.description ?? null,
    limits: limitsOf(inner, shape.kind),
  };
}

function baseShape(node: JsonSchema, options: ShapeOptions, name: string): InputShape {
  if (node.enum !== undefined) {
    return node.enum.every((value) => typeof value === 'string') ? { kind: 'enum', values: node.enum as string[] } : { kind: 'json' };
  }
  if (node.const !== undefined) return typeof node.const === 'string' ? { kind: 'enum', values: [node.const] } : { kind: 'json' };
  switch (node.type) {
    case 'string':
      if (node.format === 'uuid' || node.format === 'guid') return { kind: 'id' };
      if (node.format === 'date') return { kind: 'date' };
      return { kind: 'string' };
    case 'integer':
      return { kind: 'int' };
    case 'number':
      return { kind: 'float' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array': {
      if (!node.items) return { kind: 'json' };
      const item = shapeOfJson(node.items, true, options, name);
      // GraphQL input lists nest, but Pothos types one level: a list of lists is JSON.
      return item.shape.kind === 'list' ? { kind: 'json' } : { kind: 'list', item };
    }
    case 'object':
      if (options.jsonFields?.has(name) || !node.properties) return { kind: 'json' };
      return { kind: 'object', fields: fieldsOfJson(node, options) };
    default:
      return { kind: 'json' };
  }
}

function fieldsOfJson(node: JsonSchema, options: ShapeOptions): Record<string, FieldShape> {
  const required = new Set(node.required ?? []);
  return Object.fromEntries(Object.entries(node.properties ?? {}).map(([name, field]) => [name, shapeOfJson(field, required.has(name), options, name)]));
}

/** The fields of an object schema, by name, read from its JSON Schema (`z.toJSONSchema`). */
export function objectFields(schema: z.ZodType, options: ShapeOptions = {}): Record<string, FieldShape> {
  const json = jsonSchemaOf(schema);
  if (json.type !== 'object' || !json.properties) throw new TypeError(`A command input must be an object schema, not ${String(json.type)}`);
  return fieldsOfJson(json, options);
}

/**
 * GraphQL's argument value → what the command's schema parses: null or a missing value becomes
 * null where the schema takes null and is left out otherwise (so an optional field stays absent
 * and a default applies); lists and nested objects are rebuilt the same way.
 */
export function toDomainInput(fields: Record<string, FieldShape>, value: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    const converted = toDomainValue(field, value[name]);
    if (converted !== undefined) result[name] = converted;
  }
  return result;
}

function toDomainValue(field: FieldShape, value: unknown): unknown {
  if (value === null || value === undefined) return field.acceptsNull ? null : undefined;
  const { shape } = field;
  if (shape.kind === 'list' && Array.isArray(value)) return value.map((item) => toDomainValue(shape.item, item) ?? null);
  if (shape.kind === 'object' && typeof value === 'object') return toDomainInput(shape.fields, value as Record<string, unknown>);
  return value;
}

// ---------------------------------------------------------------------------------------------
// What the log cannot hold, refused before the bus runs the command.

/** How deep and how large a JSON argument may be. */
export const JSON_LIMITS = { depth: 16, characters: 100_000 } as const;

/**
 * The first problem with a plain input, as [field path, message], or null. Text must be valid
 * Unicode without NUL (PostgreSQL cannot store either in jsonb; the log refuses them); JSON
 * values must be plain data within JSON_LIMITS.
 */
export function inputProblem(fields: Record<string, FieldShape>, input: Record<string, unknown>): [string, string] | null {
  for (const [name, field] of Object.entries(fields)) {
    const problem = valueProblem(field.shape, input[name], name);
    if (problem) return problem;
  }
  return null;
}

const BAD_TEXT = 'must be text without NUL characters or unpaired surrogates';

/** A high surrogate not followed by a low one, or a low one not after a high one. */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(value: string, path: string): [string, string] | null {
  return value.includes('\u0000') || UNPAIRED_SURROGATE.test(value) ? [path, BAD_TEXT] : null;
}

function valueProblem(shape: InputShape, value: unknown, path: string): [string, string] | null {
  if (value === null || value === undefined) return null;
  switch (shape.kind) {
    case 'json':
      return jsonProblem(value, path);
    case 'list':
      if (!Array.isArray(value)) return null;
      for (const [index, item] of value.entries()) {
        const problem = valueProblem(shape.item.shape, item, `${path}.${index}`);
        if (problem) return problem;
      }
      return null;
    case 'object': {
      if (typeof value !== 'object') return null;
      const problem = inputProblem(shape.fields, value as Record<string, unknown>);
      return problem && [`${path}.${problem[0]}`, problem[1]];
    }
    default:
      return typeof value === 'string' ? textProblem(value, path) : null;
  }
}

function jsonProblem(value: unknown, path: string): [string, string] | null {
  let characters = 0;
  const tooBig: [string, string] = [path, `must be JSON of at most ${JSON_LIMITS.characters} characters, nested at most ${JSON_LIMITS.depth} deep`];
  /** `depth`: how many arrays and objects hold `item`, itself included if it is one. */
  const visit = (item: unknown, depth: number): [string, string] | null => {
    if (typeof item === 'object' && item !== null && depth > JSON_LIMITS.depth) return tooBig;
    if (typeof item === 'string') {
      characters += item.length + 2;
      return textProblem(item, path);
    }
    if (typeof item === 'number') {
      characters += 24;
      return Number.isFinite(item) ? null : [path, 'must hold finite numbers only'];
    }
    if (item === null || typeof item === 'boolean') {
      characters += 5;
      return null;
    }
    if (Array.isArray(item)) {
      for (const element of item) {
        const problem = visit(element, depth + 1) ?? (characters > JSON_LIMITS.characters ? tooBig : null);
        if (problem) return problem;
      }
      return null;
    }
    if (typeof item === 'object') {
      for (const [key, element] of Object.entries(item)) {
        characters += key.length + 3;
        const problem = textProblem(key, path) ?? visit(element, depth + 1) ?? (characters > JSON_LIMITS.characters ? tooBig : null);
        if (problem) return problem;
      }
      return null;
    }
    return [path, 'must be plain JSON'];
  };
  return visit(value, 1) ?? (characters > JSON_LIMITS.characters ? tooBig : null);
}

// ---------------------------------------------------------------------------------------------
// Names and descriptions.

/** `RecordStationVisit` → `recordStationVisit`. */
export const mutationName = (command: string) => command.charAt(0).toLowerCase() + command.slice(1);
const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
/** `mentorMandateId` → `mentor mandate id`. */
const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
/** A description as a sentence: capitalised, with a full stop. */
const sentence = (text: string) => `${pascal(text)}${/[.。]$/.test(text) ? '' : '.'}`;

/** The domain's terms for what ids name (the last word of `…Id`). */
const TERMS: Record<string, string> = {
  activity: '活动',
  mandate: '任职',
  opinion: '意见',
  pairing: '结队帮带',
  person: '人员',
  reception: '接待',
  record: '履职记录',
  regulation: '制度',
  station: '家站',
  suggestion: '建议',
  term: '届',
};

/** Fields whose meaning their name and schema do not carry. */
const FIELD_DESCRIPTIONS: Record<string, string> = {
  streamId: 'The stream the record is in, as the event log names it, e.g. `activity:<id>` or `station:<id>`.',
  corrected: 'The record’s data as it should have been: the whole data of the original event, corrected (a JSON object, checked against that event’s schema).',
  reason: 'Why, in words that will stand in the record.',
  recordId: 'Id (UUID) of the record (履职记录): the one to act on, or for a new record the id the client chooses for it.',
};

/** Generated from the field's name and kind when the schema has no description of its own. */
function describeField(name: string, field: FieldShape): string {
  const own = FIELD_DESCRIPTIONS[name] ?? (field.description ? sentence(field.description) : null);
  let text: string;
  if (own) text = own;
  else if (field.shape.kind === 'id') {
    const subject = words(name.replace(/Ids?$/, ''));
    const term = TERMS[subject.split(' ').at(-1) ?? ''];
    text = name.endsWith('Ids') ? `Ids (UUIDs) of the ${subject}s${term ? ` (${term})` : ''}.` : `Id (UUID) of the ${subject}${term ? ` (${term})` : ''}.`;
  } else text = `${pascal(words(name))}.`;
  const parts = [text];
  if (field.shape.kind === 'date') parts.push('An ISO date, YYYY-MM-DD.');
  if (field.limits) parts.push(field.limits);
  if (field.shape.kind === 'list' && field.shape.item.limits) parts.push(`Each: ${field.shape.item.limits}`);
  if (!field.required) parts.push(field.acceptsNull ? 'Optional (null when left out).' : 'Optional.');
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------------
// Enums: one per distinct set of values, reusing the schema's own where the values match.

const valueKey = (values: readonly string[]) => [...values].sort().join('|');
const enumValueName = (value: string) => value.toUpperCase().replaceAll('-', '_');

type EnumRef = PothosEnumRef<typeof builder.$inferSchemaTypes, string, string>;
/** The schema's enums for the domain's vocabularies, by their values. */
const KNOWN_ENUMS = new Map<string, EnumRef>([
  [valueKey(TRAINING_TYPES), TrainingType],
  [valueKey(LEVELS), Level],
  [valueKey(MANDATE_KINDS), MandateKind],
  [valueKey(ACT_KINDS), ActKind],
  [valueKey(TEAMS), Team],
  [valueKey(domain.STATION_TYPES), StationType],
  [valueKey(domain.SLOT_REPEATS), SlotRepeat],
  [valueKey(domain.PAIRING_KINDS), PairingKind],
  [valueKey(domain.OPINION_SATISFACTION), OpinionSatisfaction],
]);

/** The domain's label tables (`…_LABELS`), found by their keys: a value's label describes it. */
function labelsFor(values: readonly string[]): Record<string, string> | null {
  const key = valueKey(values);
  for (const [name, table] of Object.entries(domain)) {
    if (!name.endsWith('_LABELS') || typeof table !== 'object' || table === null) continue;
    if (valueKey(Object.keys(table)) !== key) continue;
    return Object.fromEntries(
      Object.entries(table as Record<string, string | { zh: string; en?: string }>).map(([value, label]) => [
        value,
        typeof label === 'string' ? label : label.en ? `${label.zh} (${label.en})` : label.zh,
      ]),
    );
  }
  return null;
}

interface EnumUse {
  command: string;
  path: string;
}

/** The generated enums, by value set; named after the first command field that uses them. */
function generateEnums(uses: Map<string, { values: readonly string[]; uses: EnumUse[] }>): Map<string, EnumRef> {
  const refs = new Map(KNOWN_ENUMS);
  for (const [key, { values, uses: where }] of uses) {
    if (refs.has(key)) continue;
    const first = where[0]!;
    const labels = labelsFor(values);
    const places = where.map((use) => `\`${use.path}\` of ${use.command}`).join(', ');
    refs.set(
      key,
      builder.enumType(`${first.command}${first.path.split('.').map(pascal).join('')}`, {
        description: `Values of ${places}.`,
        values: Object.fromEntries(values.map((value) => [enumValueName(value), { value, description: labels?.[value] ?? `\`${value}\`` }])) as Record<
          string,
          { value: string; description: string }
        >,
      }),
    );
  }
  return refs;
}

function collectEnums(command: string, fields: Record<string, FieldShape>, into: Map<string, { values: readonly string[]; uses: EnumUse[] }>, prefix = '') {
  for (const [name, field] of Object.entries(fields)) {
    const path = prefix ? `${prefix}.${name}` : name;
    const shape = field.shape.kind === 'list' ? field.shape.item.shape : field.shape;
    if (shape.kind === 'enum') {
      const key = valueKey(shape.values);
      const entry = into.get(key) ?? { values: shape.values, uses: [] };
      entry.uses.push({ command, path });
      into.set(key, entry);
    } else if (shape.kind === 'object') collectEnums(command, shape.fields, into, path);
  }
}

// ---------------------------------------------------------------------------------------------
// The result.

// ---------------------------------------------------------------------------------------------
// The mutations.

/** Commands with a hand-written mutation of their own. */
export const HAND_WRITTEN = new Set(['RecordTrainingAttendance']);
/** Passed whole as JSON: scoring rules are one document (8+X duties, points, bands) with rules across its fields, checked by the domain. */
const JSON_FIELDS: ReadonlySet<string> = new Set(['scoringRules']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The commands generated here, by name, with their input shapes. */
export const generatedCommands: ReadonlyMap<string, Record<string, FieldShape>> = new Map(
  commandDefinitions
    .filter((definition) => !HAND_WRITTEN.has(definition.name))
    .map((definition) => [definition.name, objectFields(definition.input, { jsonFields: JSON_FIELDS })]),
);

const enumUses = new Map<string, { values: readonly string[]; uses: EnumUse[] }>();
for (const [name, fields] of generatedCommands) collectEnums(name, fields, enumUses);
const enums = generateEnums(enumUses);

/** An input object as GraphQL hands it over. */
type InputValue = Record<string, NonNullable<unknown> | null | undefined>;
type InputRef = InputObjectRef<typeof builder.$inferSchemaTypes, InputValue>;
type FieldType = InputRef | EnumRef | typeof JsonScalar | 'String' | 'ID' | 'Int' | 'Float' | 'Boolean';

/** The GraphQL type of a shape; a nested object becomes the input type `typeName`Input, described by `description`. */
function fieldType(shape: InputShape, typeName: string, description: string): FieldType {
  switch (shape.kind) {
    case 'string':
    case 'date':
      return 'String';
    case 'id':
      return 'ID';
    case 'int':
      return 'Int';
    case 'float':
      return 'Float';
    case 'boolean':
      return 'Boolean';
    case 'json':
      return JsonScalar;
    case 'enum':
      return enums.get(valueKey(shape.values))!;
    case 'object':
      return inputType(`${typeName}Input`, description, shape.fields, typeName);
    case 'list':
      throw new TypeError('a list is typed by its item');
  }
}

type InputFieldBuilder = PothosSchemaTypes.InputFieldBuilder<typeof builder.$inferSchemaTypes, 'InputObject'>;

/** The input type `name` with a field per shape (nested types named `typeName` + field), plus `extra` fields. */
function inputType(
  name: string,
  description: string,
  fields: Record<string, FieldShape>,
  typeName: string,
  extra?: (t: InputFieldBuilder) => object,
): InputRef {
  return builder.inputRef<InputValue>(name).implement({
    description,
    fields: (t) => ({
      ...extra?.(t),
      ...Object.fromEntries(
        Object.entries(fields).map(([field, shape]) => {
          const description = describeField(field, shape);
          const nested = `${typeName}${pascal(field)}`;
          const own = shape.description ? `${sentence(shape.description)} ` : '';
          // The types are made from data here, so Pothos cannot check them statically.
          const options =
            shape.shape.kind === 'list'
              ? {
                  type: [fieldType(shape.shape.item.shape, nested, `${own}One item of \`${field}\` in ${name}.`)],
                  required: { list: shape.required, items: shape.shape.item.required },
                  description,
                }
              : { type: fieldType(shape.shape, nested, `${own}The \`${field}\` of ${name}.`), required: shape.required, description };
          return [field, t.field(options as never) as InputFieldRef<typeof builder.$inferSchemaTypes, InputValue[string]>];
        }),
      ),
    }),
  });
}

/** What every text field takes (the schemas' common text pattern, said once). */
const TEXT_RULE = 'Text fields take any text but NUL characters and unpaired surrogates.';

function defineMutation(definition: CommandDefinition, fields: Record<string, FieldShape>) {
  for (const reserved of ['commandId', 'occurredAt']) {
    if (reserved in fields) throw new Error(`${definition.name}'s input has a field ${reserved}, which every generated mutation adds`);
  }
  const input = inputType(
    `${definition.name}Input`,
    `Input of ${mutationName(definition.name)}: ${definition.description} ${TEXT_RULE}`,
    fields,
    definition.name,
    (t) => ({
      commandId: t.id({ required: true, description: 'Chosen by the client (a UUID); retrying with the same id records nothing new.' }),
      occurredAt: t.string({ description: 'When the act happened, an ISO 8601 instant (not in the future); defaults to now.' }),
    }),
  );

  builder.mutationField(mutationName(definition.name), (t) =>
    t.field({
      type: CommandResultRef,
      description: `${definition.description} May be issued by: ${rolesText(definition.roles)}; others get a Rejection with code "forbidden".`,
      errors: { types: [DomainError], directResult: true },
      args: { input: t.arg({ type: input, required: true }) },
      async resolve(_, args, context) {
        const { commandId, occurredAt, ...rest } = args.input as { commandId: string | number; occurredAt?: string | null } & Record<string, unknown>;
        if (!UUID.test(String(commandId))) throw new ValidationError([{ field: 'commandId', message: 'must be a UUID' }]);
        const plain = toDomainInput(fields, rest);
        const problem = inputProblem(fields, plain);
        if (problem) throw new ValidationError([{ field: problem[0], message: problem[1] }]);
        const outcome = await context.commands.execute(definition.name, plain, context.commandContext(String(commandId), occurredAt ?? undefined));
        const position = outcome.events.at(-1)?.position ?? 0;
        // Answered once durable; a client that must read it back names the position (consistency.ts).
        context.written.position = Math.max(context.written.position, position);
        return { events: outcome.events, duplicate: outcome.duplicate, position };
      },
    }),
  );
}

for (const definition of commandDefinitions) {
  const fields = generatedCommands.get(definition.name);
  if (fields) defineMutation(definition, fields);
}
