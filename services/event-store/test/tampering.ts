/**
 * Tampering with stored JSON for the property tests: arbitrary event content (nested data, every
 * kind of JSON value) and one change to a stored document — a character changed, a key added or
 * removed at any depth, or a number spelled otherwise.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { NewEvent } from '../src/types.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const text = fc.string({ maxLength: 12, unit: fc.constantFrom(...'ab Z09_-.:张三李假名\n"\\é😀') });
const key = fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom(...'abcxyz_名') }).filter((name) => name !== '__proto__');
const leaf: fc.Arbitrary<Json> = fc.oneof(
  text,
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const { node } = fc.letrec<{ node: Json }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    leaf,
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(key, tie('node'), { maxKeys: 3, noNullPrototype: true }),
  ),
}));
/** Event data: an object with something nested in it. */
const data = fc
  .tuple(
    fc.dictionary(key, node, { minKeys: 1, maxKeys: 4, noNullPrototype: true }),
    fc.dictionary(key, leaf, { minKeys: 1, maxKeys: 2, noNullPrototype: true }),
  )
  .map(([outer, inner]) => ({ ...outer, nested: { deeper: inner, list: [1.5, inner] } }) as Record<string, Json>);
/** An event with nested data and metadata of every shape the store writes. */
export const eventArb: fc.Arbitrary<NewEvent> = fc
  .record({
    data,
    personId: fc.uuid(),
    role: fc.constantFrom('staff', 'deputy', 'station-manager', 'admin'),
    causationId: fc.option(fc.uuid(), { nil: null }),
    commandId: fc.option(fc.string({ minLength: 1, maxLength: 10, unit: fc.constantFrom(...'abc-123') }), { nil: null }),
    occurredAt: fc.date({ min: new Date('2017-01-01'), max: new Date('2026-12-31'), noInvalidDate: true }),
  })
  .map(({ data: payload, personId, role, causationId, commandId, occurredAt }) => ({
    id: randomUUID(),
    type: 'Seeded',
    schemaVersion: 1,
    data: payload,
    metadata: { recordedBy: { personId, role }, occurredAt: occurredAt.toISOString(), correlationId: randomUUID(), causationId, commandId },
  }));

export interface Tampering {
  kind: 'change-character' | 'add-key' | 'remove-key' | 'respell-number';
  /** Chooses among the candidate places of the document (taken modulo their number). */
  pick: number;
  /** change-character: the new character (inside a string) or digit (inside a number). */
  character: string;
  digit: string;
  /** add-key: the key (made unique) and its value. */
  key: string;
  value: Json;
}

export const tamperingArb: fc.Arbitrary<Tampering> = fc.record({
  kind: fc.constantFrom('change-character', 'add-key', 'remove-key', 'respell-number'),
  pick: fc.nat(),
  character: fc.constantFrom(...'aZ0_ 假'),
  digit: fc.constantFrom(...'0123456789'),
  key: fc.constantFrom('name', 'note', 'source', 'approvedBy', 'role', 'x'),
  value: fc.oneof(fc.constant('伪造者'), fc.constant('forged.xlsx'), fc.integer(), fc.constant(null), fc.constant({ by: 'director' })),
});

/** Every object in the document, at any depth (the document itself included). */
function objectsIn(value: Json, found: Record<string, Json>[] = []): Record<string, Json>[] {
  if (Array.isArray(value)) for (const item of value) objectsIn(item, found);
  else if (value !== null && typeof value === 'object') {
    found.push(value);
    for (const item of Object.values(value)) objectsIn(item, found);
  }
  return found;
}

/**
 * The JSON text's places, in code points (so a character outside the BMP is changed whole):
 * every character inside a string (keys included) that is not part of an escape, and every
 * number token.
 */
function scan(chars: string[]): { stringChars: number[]; numbers: { start: number; end: number }[] } {
  const stringChars: number[] = [];
  const numbers: { start: number; end: number }[] = [];
  let inString = false;
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index]!;
    if (inString) {
      if (char === '\\') index += chars[index + 1] === 'u' ? 5 : 1;
      else if (char === '"') inString = false;
      else stringChars.push(index);
    } else if (char === '"') inString = true;
    else if (/[-0-9]/.test(char)) {
      const start = index;
      while (index + 1 < chars.length && /[-+0-9.eE]/.test(chars[index + 1]!)) index++;
      numbers.push({ start, end: index + 1 });
    }
  }
  return { stringChars, numbers };
}

const isJson = (json: string) => {
  try {
    JSON.parse(json);
    return true;
  } catch {
    return false;
  }
};

/** The tampered JSON text of `original`, or null when this tampering does not apply to it. */
export function tamper(original: Json, tampering: Tampering): string | null {
  const doc = structuredClone(original);
  switch (tampering.kind) {
    case 'add-key': {
      const objects = objectsIn(doc);
      const target = objects[tampering.pick % objects.length]!;
      let name = tampering.key;
      while (Object.hasOwn(target, name)) name += '_';
      target[name] = tampering.value;
      return JSON.stringify(doc);
    }
    case 'remove-key': {
      const members = objectsIn(doc).flatMap((object) => Object.keys(object).map((name) => ({ object, name })));
      if (members.length === 0) return null;
      const { object, name } = members[tampering.pick % members.length]!;
      delete object[name];
      return JSON.stringify(doc);
    }
    case 'change-character': {
      const chars = [...JSON.stringify(doc)];
      const { stringChars, numbers } = scan(chars);
      const digits = numbers.flatMap(({ start, end }) => chars.slice(start, end).flatMap((char, offset) => (/[0-9]/.test(char) ? [start + offset] : [])));
      const places = [...stringChars.map((index) => ({ index, inNumber: false })), ...digits.map((index) => ({ index, inNumber: true }))];
      if (places.length === 0) return null;
      const { index, inNumber } = places[tampering.pick % places.length]!;
      const replacement = inNumber ? tampering.digit : tampering.character;
      if (chars[index] === replacement) return null;
      chars[index] = replacement;
      const changed = chars.join('');
      // e.g. a leading zero is not JSON: the database would refuse it
      return isJson(changed) ? changed : null;
    }
    case 'respell-number': {
      // The same value, spelled as the store never writes it: 7 as 7.0, 1.5 as 1.50.
      const chars = [...JSON.stringify(doc)];
      const plain = scan(chars).numbers.filter(({ start, end }) => !/[eE]/.test(chars.slice(start, end).join('')));
      if (plain.length === 0) return null;
      const { start, end } = plain[tampering.pick % plain.length]!;
      const token = chars.slice(start, end).join('');
      const respelled = [...chars.slice(0, start), token.includes('.') ? `${token}0` : `${token}.0`, ...chars.slice(end)].join('');
      return isJson(respelled) ? respelled : null;
    }
  }
}
