import { describe, expect, it } from 'vitest';
import { assertNotFuture, assertOwnAct, declaredBy, recorderOf, recordIdFor } from '../src/kernel/recording.ts';
import type { CommandContext } from '../src/kernel/messages.ts';
import type { Role } from '../src/kernel/roles.ts';

const self = '11111111-1111-4111-8111-111111111111';
const other = '22222222-2222-4222-8222-222222222222';
const as = (role: Role): CommandContext => ({
  commandId: '33333333-3333-4333-8333-333333333333',
  actor: { personId: self, role },
  occurredAt: '2024-06-01T08:00:00.000Z',
});

describe('who enters an act', () => {
  it('a deputy declares their own acts; staff record anyone’s', () => {
    expect(declaredBy(as('deputy'), self)).toBe(true);
    expect(declaredBy(as('staff'), other)).toBe(false);
    expect(recorderOf(as('station-manager'))).toEqual({ personId: self, declared: false });
  });

  it('refuses a deputy declaring someone else’s act, on the field named', () => {
    expect(() => declaredBy(as('deputy'), other)).toThrow(expect.objectContaining({ code: 'not-own-act', field: 'personId' }));
    expect(() => declaredBy(as('deputy'), other, 'deputies.1.personId')).toThrow(
      expect.objectContaining({ code: 'not-own-act', field: 'deputies.1.personId' }),
    );
    expect(() => assertOwnAct(recorderOf(as('deputy')), other, 'leadPersonId')).toThrow(
      expect.objectContaining({ code: 'not-own-act', field: 'leadPersonId' }),
    );
  });

  it('derives the record id from the command unless the client chose one, and refuses future dates', () => {
    expect(recordIdFor(as('staff'), other)).toBe(other);
    expect(recordIdFor(as('staff'), undefined)).toBe(recordIdFor(as('deputy'), undefined));
    expect(() => assertNotFuture('2024-06-02', '2024-06-01')).toThrow(expect.objectContaining({ code: 'future-date', field: 'date' }));
    expect(() => assertNotFuture('2024-06-01', '2024-06-01')).not.toThrow();
  });
});
