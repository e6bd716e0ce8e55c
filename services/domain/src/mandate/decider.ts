/** Terms (届) and mandates: a person's seat or post in one term, with a start and an end. */
import { assertNever, type Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { Command } from '../kernel/messages.ts';
import type { MandateData, MandateEvent, TermEvent } from './events.ts';

export const termStream = (termId: string) => `term:${termId}`;
export const mandateStream = (mandateId: string) => `mandate:${mandateId}`;

export type TermState =
  | { status: 'none' }
  | { status: 'open' | 'closed'; termId: string; number: number; startsOn: string; plannedEndOn: string; closedOn: string | null };

export type TermCommand =
  | Command<'OpenTerm', { termId: string; number: number; startsOn: string; plannedEndOn: string }>
  | Command<'CloseTerm', { termId: string; closedOn: string }>;

export const termDecider: Decider<TermCommand, TermEvent, TermState> = {
  category: 'term',
  initialState: () => ({ status: 'none' }),
  decide(command, state) {
    switch (command.type) {
      case 'OpenTerm':
        if (state.status !== 'none') throw new DomainError('term-exists', { zh: '该届次已存在', en: 'This term already exists' }, 'termId');
        if (command.data.plannedEndOn <= command.data.startsOn) {
          throw new DomainError('term-dates', { zh: '届期结束日期须晚于开始日期', en: 'A term must end after it starts' }, 'plannedEndOn');
        }
        return [{ type: 'TermOpened', data: command.data }];
      case 'CloseTerm':
        if (state.status === 'none') throw new DomainError('term-not-found', { zh: '找不到该届次', en: 'No such term' }, 'termId');
        if (state.status === 'closed') throw new DomainError('term-closed', { zh: '该届次已经结束', en: 'This term is already closed' }, 'termId');
        if (command.data.closedOn < state.startsOn) {
          throw new DomainError('term-dates', { zh: '换届日期不能早于届期开始', en: 'A term cannot close before it starts' }, 'closedOn');
        }
        return [{ type: 'TermClosed', data: command.data }];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'TermOpened':
        return { status: 'open', ...event.data, closedOn: null };
      case 'TermClosed':
        return state.status === 'none' ? state : { ...state, status: 'closed', closedOn: event.data.closedOn };
      default:
        return assertNever(event);
    }
  },
};

export type MandateState = { status: 'none' } | ({ status: 'active' | 'ended'; endsOn: string | null; endReason: string | null } & MandateData);

/** What a mandate command needs to know about its term and person, loaded by the command definition. */
export interface MandateFacts {
  term: TermState;
  personExists: boolean;
}

export type MandateCommand =
  | Command<'StartMandate', MandateData & MandateFacts>
  | Command<'EndMandate', { mandateId: string; endsOn: string; reason: 'resignation' | 'recall' | 'death' | 'transfer' }>
  /** The term closed: the mandate ends on the close (届满), unless it ended earlier. */
  | Command<'EndMandateAtTermClose', { mandateId: string; term: TermState }>;

export const mandateDecider: Decider<MandateCommand, MandateEvent, MandateState> = {
  category: 'mandate',
  initialState: () => ({ status: 'none' }),
  decide(command, state) {
    switch (command.type) {
      case 'StartMandate': {
        const { term, personExists, ...data } = command.data;
        if (state.status !== 'none') throw new DomainError('mandate-exists', { zh: '该任职已登记', en: 'This mandate is already recorded' }, 'mandateId');
        if (!personExists) throw new DomainError('person-not-found', { zh: '找不到该人员', en: 'No such person' }, 'personId');
        if (term.status !== 'open') throw new DomainError('term-not-open', { zh: '该届次未开始或已结束', en: 'The term is not open' }, 'termId');
        if (data.startsOn < term.startsOn) {
          throw new DomainError('before-term', { zh: '任职不能早于届期开始', en: 'A mandate cannot start before its term' }, 'startsOn');
        }
        if ((data.kind === 'deputy') !== (data.level !== null)) {
          throw new DomainError('level-mismatch', { zh: '只有人大代表有代表层级，且必须填写', en: 'Deputies, and only deputies, have a level' }, 'level');
        }
        if (data.kind === 'township-chair' && !data.township) {
          throw new DomainError('township-required', { zh: '乡镇人大主席须注明所在乡镇', en: 'A township chair needs a township' }, 'township');
        }
        return [{ type: 'MandateStarted', data }];
      }
      case 'EndMandate':
        if (state.status === 'none') throw new DomainError('mandate-not-found', { zh: '找不到该任职', en: 'No such mandate' }, 'mandateId');
        if (state.status === 'ended') throw new DomainError('mandate-ended', { zh: '该任职已经终止', en: 'This mandate has already ended' }, 'mandateId');
        if (command.data.endsOn < state.startsOn) {
          throw new DomainError('end-before-start', { zh: '终止日期不能早于任职开始日期', en: 'A mandate cannot end before it starts' }, 'endsOn');
        }
        return [{ type: 'MandateEnded', data: command.data }];
      case 'EndMandateAtTermClose': {
        const { mandateId, term } = command.data;
        if (state.status === 'none') throw new DomainError('mandate-not-found', { zh: '找不到该任职', en: 'No such mandate' }, 'mandateId');
        if (state.status === 'ended') throw new DomainError('mandate-ended', { zh: '该任职已经终止', en: 'This mandate has already ended' }, 'mandateId');
        if (term.status !== 'closed' || term.termId !== state.termId || term.closedOn === null) {
          throw new DomainError('term-not-closed', { zh: '该任职所在届次尚未换届', en: 'The mandate’s term has not closed' }, 'mandateId');
        }
        return [{ type: 'MandateEnded', data: { mandateId, endsOn: term.closedOn < state.startsOn ? state.startsOn : term.closedOn, reason: 'term-close' } }];
      }
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'MandateStarted':
        return { status: 'active', ...event.data, endsOn: null, endReason: null };
      case 'MandateEnded':
        return state.status === 'none' ? state : { ...state, status: 'ended', endsOn: event.data.endsOn, endReason: event.data.reason };
      default:
        return assertNever(event);
    }
  },
};
