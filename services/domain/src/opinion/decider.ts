/**
 * The life of a voter's opinion: registered → referred (optional; may be re-referred to another
 * agency until answered) → answered → closed, and reopened if the voter was dissatisfied.
 *
 * Answering without a referral is allowed: the deputy or station answered on the spot (当场答复);
 * the answer then names no agency. Every step is dated no earlier than the one before it, and no
 * deadline is earlier than the step that sets it (so none is before the registration).
 */
import { assertNever, type Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { Command } from '../kernel/messages.ts';
import type { EventOf } from '../kernel/registry.ts';
import { assignmentOn, attended, notAssigned, openOn, type StationState } from '../station/state.ts';
import type { OpinionAnswered, OpinionClosed, OpinionEvent, OpinionReferred, OpinionRegisteredData, OpinionReopened, OpinionSatisfaction } from './events.ts';

export const opinionStream = (opinionId: string) => `opinion:${opinionId}`;

type DataOf<D> = EventOf<D>['data'];

export type OpinionCommand =
  | Command<
      'RegisterOpinion',
      Omit<OpinionRegisteredData, 'receivedByMandateId'> & {
        /** The station's state, loaded by the command definition. */
        station: StationState;
      }
    >
  | Command<'ReferOpinion', DataOf<typeof OpinionReferred>>
  | Command<'AnswerOpinion', Omit<DataOf<typeof OpinionAnswered>, 'agency'>>
  | Command<'CloseOpinion', DataOf<typeof OpinionClosed>>
  | Command<'ReopenOpinion', DataOf<typeof OpinionReopened>>;

export type OpinionStatus = 'registered' | 'referred' | 'answered' | 'closed' | 'reopened';

export type OpinionState =
  | { status: 'none' }
  | {
      status: OpinionStatus;
      opinionId: string;
      stationId: string;
      registeredOn: string;
      /** The deadline in force: from the registration, the last referral or the reopening. */
      deadline: string;
      /** The agency of the current referral, or null when not referred (since the last reopening). */
      agency: string | null;
      satisfaction: OpinionSatisfaction | null;
      /** The date of the latest step; the next one cannot be earlier. */
      lastDate: string;
    };

type Handled = Exclude<OpinionState, { status: 'none' }>;

const notFound = () => new DomainError('opinion-not-found', { zh: '找不到该意见', en: 'No such opinion' }, 'opinionId');

function existing(state: OpinionState): Handled {
  if (state.status === 'none') throw notFound();
  return state;
}

/** The opinion exists and is not closed. */
function open(state: OpinionState): Handled {
  const opinion = existing(state);
  if (opinion.status === 'closed') throw new DomainError('opinion-closed', { zh: '该意见已办结', en: 'This opinion is closed' }, 'opinionId');
  return opinion;
}

function notAnswered(opinion: Handled): void {
  if (opinion.status === 'answered')
    throw new DomainError('already-answered', { zh: '该意见已经答复', en: 'This opinion has already been answered' }, 'opinionId');
}

function notBeforeLastStep(opinion: Handled, date: string, field: string): void {
  if (date < opinion.lastDate) {
    throw new DomainError(
      'date-too-early',
      { zh: `日期不能早于上一办理环节（${opinion.lastDate}）`, en: `The date cannot be before the previous step (${opinion.lastDate})` },
      field,
    );
  }
}

function deadlineFrom(date: string, deadline: string): void {
  if (deadline < date) {
    throw new DomainError('deadline-too-early', { zh: `办理期限不能早于 ${date}`, en: `The deadline cannot be before ${date}` }, 'deadline');
  }
}

export const opinionDecider: Decider<OpinionCommand, OpinionEvent, OpinionState> = {
  category: 'opinion',
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'RegisterOpinion': {
        const { station: stationState, ...data } = command.data;
        if (state.status !== 'none') throw new DomainError('opinion-exists', { zh: '该意见已登记', en: 'This opinion is already registered' }, 'opinionId');
        const station = openOn(stationState, data.registeredOn, 'registeredOn');
        deadlineFrom(data.registeredOn, data.deadline);
        const assignment = assignmentOn(station, data.receivedByPersonId, data.registeredOn);
        if (!assignment) throw notAssigned(data.registeredOn, 'receivedByPersonId');
        if (data.receptionId !== null) {
          const reception = station.receptions.get(data.receptionId);
          if (!reception)
            throw new DomainError('reception-not-found', { zh: '该家站没有这次接待的记录', en: 'This station has no such reception' }, 'receptionId');
          if (data.registeredOn < reception.date) {
            throw new DomainError(
              'date-too-early',
              { zh: `登记日期不能早于接待日期（${reception.date}）`, en: `The opinion cannot be registered before the reception (${reception.date})` },
              'registeredOn',
            );
          }
          if (!attended(station, data.receptionId, data.receivedByPersonId)) {
            throw new DomainError(
              'not-at-reception',
              { zh: '接收意见的代表未参加这次接待', en: 'The receiving deputy was not at this reception' },
              'receivedByPersonId',
            );
          }
        }
        return [{ type: 'OpinionRegistered', data: { ...data, receivedByMandateId: assignment.mandateId } }];
      }

      case 'ReferOpinion': {
        const opinion = open(state);
        notAnswered(opinion);
        notBeforeLastStep(opinion, command.data.referredOn, 'referredOn');
        deadlineFrom(command.data.referredOn, command.data.deadline);
        if (opinion.agency === command.data.agency) {
          throw new DomainError('already-referred', { zh: '该意见已交由此单位办理', en: 'The opinion is already referred to this agency' }, 'agency');
        }
        return [{ type: 'OpinionReferred', data: command.data }];
      }

      case 'AnswerOpinion': {
        const opinion = open(state);
        notAnswered(opinion);
        notBeforeLastStep(opinion, command.data.answeredOn, 'answeredOn');
        return [{ type: 'OpinionAnswered', data: { ...command.data, agency: opinion.agency } }];
      }

      case 'CloseOpinion': {
        const opinion = open(state);
        if (opinion.status !== 'answered') {
          throw new DomainError('not-answered', { zh: '意见答复后才能办结', en: 'An opinion can be closed only after it is answered' }, 'opinionId');
        }
        notBeforeLastStep(opinion, command.data.closedOn, 'closedOn');
        return [{ type: 'OpinionClosed', data: command.data }];
      }

      case 'ReopenOpinion': {
        const opinion = existing(state);
        if (opinion.status !== 'closed') throw new DomainError('not-closed', { zh: '该意见尚未办结', en: 'This opinion is not closed' }, 'opinionId');
        if (opinion.satisfaction !== 'dissatisfied') {
          throw new DomainError(
            'not-dissatisfied',
            { zh: '只有选民不满意的意见才能重新办理', en: 'Only an opinion the voter was dissatisfied with can be reopened' },
            'opinionId',
          );
        }
        notBeforeLastStep(opinion, command.data.reopenedOn, 'reopenedOn');
        deadlineFrom(command.data.reopenedOn, command.data.deadline);
        return [{ type: 'OpinionReopened', data: command.data }];
      }

      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    if (event.type === 'OpinionRegistered') {
      const { opinionId, stationId, registeredOn, deadline } = event.data;
      return { status: 'registered', opinionId, stationId, registeredOn, deadline, agency: null, satisfaction: null, lastDate: registeredOn };
    }
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'OpinionReferred':
        return { ...state, status: 'referred', agency: event.data.agency, deadline: event.data.deadline, lastDate: event.data.referredOn };
      case 'OpinionAnswered':
        return { ...state, status: 'answered', lastDate: event.data.answeredOn };
      case 'OpinionClosed':
        return { ...state, status: 'closed', satisfaction: event.data.satisfaction, lastDate: event.data.closedOn };
      case 'OpinionReopened':
        return { ...state, status: 'reopened', agency: null, satisfaction: null, deadline: event.data.deadline, lastDate: event.data.reopenedOn };
      default:
        return assertNever(event);
    }
  },
};
