import { randomUUID } from 'node:crypto';
import { describe, it } from 'vitest';
import { handoverDecider, type HandoverCommand } from '../../src/handover/decider.ts';
import type { HandoverEvent } from '../../src/handover/events.ts';
import type { TermState } from '../../src/mandate/decider.ts';
import { spec } from '../spec.ts';

const termId = randomUUID();
const inheritor = randomUUID();
const other = randomUUID();
const itemKey = `opinion:${randomUUID()}`;
const closed: TermState = { status: 'closed', termId, number: 18, startsOn: '2021-11-20', plannedEndOn: '2026-11-19', closedOn: '2026-11-19' };
const open: TermState = { ...closed, status: 'open', closedOn: null };

const acknowledge = (personId = inheritor, changes: Partial<Extract<HandoverCommand, { type: 'AcknowledgeHandoverItem' }>['data']> = {}): HandoverCommand => ({
  type: 'AcknowledgeHandoverItem',
  data: { termId, itemKey, personId, acknowledgedOn: '2026-11-25', note: null, term: closed, personKnown: true, ...changes },
});
const reassign = (toPersonId = other, changes: Partial<Extract<HandoverCommand, { type: 'ReassignHandoverItem' }>['data']> = {}): HandoverCommand => ({
  type: 'ReassignHandoverItem',
  data: { termId, itemKey, toPersonId, reassignedOn: '2026-11-24', reason: '原接收人调离', term: closed, personKnown: true, ...changes },
});
const acknowledged = (personId = inheritor): HandoverEvent => ({
  type: 'HandoverItemAcknowledged',
  data: { termId, itemKey, personId, acknowledgedOn: '2026-11-25', note: null },
});
const reassigned = (toPersonId = other): HandoverEvent => ({
  type: 'HandoverItemReassigned',
  data: { termId, itemKey, toPersonId, reassignedOn: '2026-11-24', reason: '原接收人调离' },
});

const handover = spec(handoverDecider);

describe('an item left open at a term change', () => {
  it('is acknowledged by its inheritor, once', () => {
    handover.given([]).when(acknowledge()).then([acknowledged()]);
    handover.given([acknowledged()]).when(acknowledge()).thenRejects('already-acknowledged');
  });
  it('is reassigned by staff, after which only the new inheritor acknowledges it', () => {
    handover.given([]).when(reassign()).then([reassigned()]);
    handover.given([acknowledged(), reassigned()]).when(acknowledge(inheritor)).thenRejects('not-inheritor');
    handover
      .given([acknowledged(), reassigned()])
      .when(acknowledge(other))
      .then([acknowledged(other)]);
    handover.given([reassigned()]).when(reassign()).thenRejects('already-assigned');
  });
  it('exists only once the term has closed, and is handled on or after the close', () => {
    handover
      .given([])
      .when(acknowledge(inheritor, { term: open }))
      .thenRejects('term-not-closed');
    handover
      .given([])
      .when(acknowledge(inheritor, { term: { status: 'none' } }))
      .thenRejects('term-not-found');
    handover
      .given([])
      .when(acknowledge(inheritor, { acknowledgedOn: '2026-11-01' }))
      .thenRejects('date-too-early');
    handover
      .given([])
      .when(reassign(other, { reassignedOn: '2026-10-01' }))
      .thenRejects('date-too-early');
  });
  it('goes only to a known person', () => {
    handover
      .given([])
      .when(reassign(other, { personKnown: false }))
      .thenRejects('person-not-found');
    handover
      .given([])
      .when(acknowledge(inheritor, { personKnown: false }))
      .thenRejects('person-not-found');
  });
});
