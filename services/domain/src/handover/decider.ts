/**
 * What people did with the items left open at one term change (stream `handover:<termId>`): an
 * inheritor acknowledged taking an item on; staff named a different inheritor. Which items are
 * open and who inherits them by default is the handover read model's finding; the stream only
 * holds what people decided about them.
 */
import { assertNever, type Decider } from '../kernel/decider.ts';
import { DomainError, type ErrorCode } from '../kernel/errors.ts';
import type { Command } from '../kernel/messages.ts';
import type { TermState } from '../mandate/decider.ts';
import type { HandoverEvent } from './events.ts';

export const handoverStream = (termId: string) => `handover:${termId}`;

interface HandoverCheck {
  /** The term's state, loaded by the command definition: it must have closed. */
  term: TermState;
  /** Whether the person exists, loaded by the command definition. */
  personKnown: boolean;
}

export type HandoverCommand =
  | Command<'AcknowledgeHandoverItem', { termId: string; itemKey: string; personId: string; acknowledgedOn: string; note: string | null } & HandoverCheck>
  | Command<'ReassignHandoverItem', { termId: string; itemKey: string; toPersonId: string; reassignedOn: string; reason: string } & HandoverCheck>;

export interface HandoverItemState {
  /** The inheritor staff named, if any (else the read model's rules decide). */
  reassignedTo: string | null;
  /** Who has acknowledged it, in order. */
  acknowledgedBy: string[];
}

export interface HandoverState {
  items: Map<string, HandoverItemState>;
}

const error = (code: ErrorCode, zh: string, en: string, field: string | null) => new DomainError(code, { zh, en }, field);
const EMPTY: HandoverItemState = { reassignedTo: null, acknowledgedBy: [] };

function checkTermAndPerson({ term, personKnown }: HandoverCheck, date: string, dateField: string, personField: string) {
  if (term.status === 'none') throw error('term-not-found', '找不到该届次', 'No such term', 'termId');
  if (term.status !== 'closed' || term.closedOn === null)
    throw error('term-not-closed', '该届次尚未结束，没有交接事项', 'This term has not closed: nothing was handed over yet', 'termId');
  if (date < term.closedOn)
    throw error('date-too-early', `日期不能早于换届日（${term.closedOn}）`, `The date cannot be before the term closed (${term.closedOn})`, dateField);
  if (!personKnown) throw error('person-not-found', '找不到该人员', 'No such person', personField);
}

export const handoverDecider: Decider<HandoverCommand, HandoverEvent, HandoverState> = {
  category: 'handover',
  initialState: () => ({ items: new Map() }),
  decide(command, state) {
    switch (command.type) {
      case 'AcknowledgeHandoverItem': {
        const { term, personKnown, ...data } = command.data;
        checkTermAndPerson({ term, personKnown }, data.acknowledgedOn, 'acknowledgedOn', 'personId');
        const item = state.items.get(data.itemKey) ?? EMPTY;
        if (item.reassignedTo !== null && item.reassignedTo !== data.personId) {
          throw error('not-inheritor', '该事项已改由他人接收', 'This item was reassigned to someone else', 'personId');
        }
        if (item.acknowledgedBy.includes(data.personId))
          throw error('already-acknowledged', '已确认接收该事项', 'This item was already acknowledged', 'itemKey');
        return [{ type: 'HandoverItemAcknowledged', data }];
      }
      case 'ReassignHandoverItem': {
        const { term, personKnown, ...data } = command.data;
        checkTermAndPerson({ term, personKnown }, data.reassignedOn, 'reassignedOn', 'toPersonId');
        if (state.items.get(data.itemKey)?.reassignedTo === data.toPersonId) {
          throw error('already-assigned', '该事项已由此人接收', 'This item is already assigned to this person', 'toPersonId');
        }
        return [{ type: 'HandoverItemReassigned', data }];
      }
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    const items = new Map(state.items);
    const item = items.get(event.data.itemKey) ?? EMPTY;
    switch (event.type) {
      case 'HandoverItemAcknowledged':
        items.set(event.data.itemKey, { ...item, acknowledgedBy: [...item.acknowledgedBy, event.data.personId] });
        return { items };
      case 'HandoverItemReassigned':
        // A new inheritor starts afresh: earlier acknowledgements were someone else's.
        items.set(event.data.itemKey, { reassignedTo: event.data.toPersonId, acknowledgedBy: [] });
        return { items };
      default:
        return assertNever(event);
    }
  },
};
