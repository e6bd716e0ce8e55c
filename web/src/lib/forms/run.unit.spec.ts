import { readFileSync } from 'node:fs';
import { buildSchema, print, validate, type FieldNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CorrectRecordCommand } from '../records/commands';
import { OrganiseActivityWithParticipantsCommand } from './activity-commands';
import { command, mutationOf } from './command';
import { RecordStationVisitCommandDocument } from '../gql/graphql';
import { outcomeOf, READ_MODEL_TYPENAMES } from './run';

const schema = buildSchema(readFileSync(new URL('../../../../schema/schema.graphql', import.meta.url), 'utf8'));

describe('sending a command', () => {
  it('asks every command document’s mutation under the alias the reader reads, with the shared fragments', () => {
    for (const document of [RecordStationVisitCommandDocument, OrganiseActivityWithParticipantsCommand, CorrectRecordCommand]) {
      expect(validate(schema, document), mutationOf(document)).toEqual([]);
      const operation = document.definitions.find((definition) => definition.kind === 'OperationDefinition')!;
      const root = operation.selectionSet.selections[0] as FieldNode;
      expect(root.alias?.value).toBe('result');
      expect(print(document)).toContain('...CommandRecorded');
      expect(print(document)).toContain('...CommandRejected');
    }
    expect(mutationOf(RecordStationVisitCommandDocument)).toBe('recordStationVisit');
  });

  it('keeps a command’s input as the form built it', () => {
    const plan = command(
      RecordStationVisitCommandDocument,
      { recordId: 'r', stationId: 's', personId: 'p', mandateId: null, date: '2026-06-01', summary: '进站' },
      {
        fields: { personId: 'person' },
      },
    );
    expect(plan.document).toBe(RecordStationVisitCommandDocument);
    expect(plan.input).toEqual({ recordId: 'r', stationId: 's', personId: 'p', mandateId: null, date: '2026-06-01', summary: '进站' });
    expect(plan.fields).toEqual({ personId: 'person' });
  });

  it('invalidates only types the schema has', () => {
    for (const name of READ_MODEL_TYPENAMES) expect(schema.getType(name), name).toBeTruthy();
  });

  it('reads a success, a Rejection and no answer', () => {
    expect(
      outcomeOf({
        __typename: 'CommandResult',
        position: 7,
        duplicate: false,
        events: [{ type: 'StationVisitRecorded', streamId: 'station:s1' }],
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
