import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { commandDocumentText, outcomeOf, READ_MODEL_TYPENAMES } from './run';

const schema = buildSchema(readFileSync(new URL('../../../../schema/schema.graphql', import.meta.url), 'utf8'));

describe('sending a command', () => {
  it('asks every generated command mutation of the schema the same way', () => {
    // Generated mutations answer Mutation<Name>Success with a CommandResult (the first slice's training attendance predates them).
    const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
    const mutations = Object.keys(schema.getMutationType()!.getFields()).filter((name) => {
      const success = schema.getType(`Mutation${pascal(name)}Success`);
      return success && 'getFields' in success && String((success.getFields() as Record<string, { type: unknown }>).data?.type) === 'CommandResult!';
    });
    expect(mutations.length).toBeGreaterThan(40);
    for (const mutation of mutations) {
      expect(validate(schema, parse(commandDocumentText(mutation))), mutation).toEqual([]);
    }
  });

  it('invalidates only types the schema has', () => {
    for (const name of READ_MODEL_TYPENAMES) expect(schema.getType(name), name).toBeTruthy();
  });

  it('reads a success, a Rejection and no answer', () => {
    expect(
      outcomeOf({
        __typename: 'MutationRecordStationVisitSuccess',
        data: { position: 7, duplicate: false, events: [{ type: 'StationVisitRecorded', streamId: 'station:s1' }] },
      }),
    ).toEqual({
      kind: 'recorded',
      position: 7,
      duplicate: false,
      events: ['StationVisitRecorded'],
      streams: ['station:s1'],
    });
    expect(outcomeOf({ __typename: 'Rejection', code: 'not-assigned', field: 'personId', messageZh: '未进站', messageEn: 'Not assigned' })).toEqual({
      kind: 'rejected',
      code: 'not-assigned',
      field: 'personId',
      message: { zh: '未进站', en: 'Not assigned' },
    });
    expect(outcomeOf(undefined, { message: '[Network] Failed to fetch' })).toEqual({ kind: 'failed', message: '[Network] Failed to fetch' });
  });
});
