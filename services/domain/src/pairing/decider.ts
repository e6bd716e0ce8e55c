/**
 * Pairings (结队帮带): a mentor and one or more deputies, formed on a date, with activities, handed
 * over to a new mentor when the old one leaves, and ended. Each person's part in an activity is a
 * reviewable record.
 */
import { assertNever, type Decider } from '../kernel/decider.ts';
import { DomainError, type ErrorCode } from '../kernel/errors.ts';
import type { Command } from '../kernel/messages.ts';
import type { ActingMandate } from '../mandate/acting.ts';
import { isReviewEvent } from '../review/events.ts';
import { assertNewRecord, noRecords, type Records, stands, trackRecords } from '../review/records.ts';
import type { PairingEvent, PairingKind } from './events.ts';

export const pairingStream = (pairingId: string) => `pairing:${pairingId}`;

/** A person in their mandate, as the command definition found it valid on the relevant day. */
export type PairingMember = Pick<ActingMandate, 'personId' | 'mandateId' | 'termId' | 'kind' | 'publicServant'>;

export type PairingCommand =
  | Command<'FormPairing', { pairingId: string; kind: PairingKind; mentor: PairingMember; mentees: PairingMember[]; startsOn: string }>
  | Command<
      'RecordPairingActivity',
      {
        pairingId: string;
        recordId: string;
        personId: string;
        mandateId: string;
        date: string;
        declared: boolean;
        description: string;
        menteePersonIds: string[];
      }
    >
  | Command<'HandOverPairing', { pairingId: string; newMentor: PairingMember; handedOverOn: string; reason: string }>
  | Command<'EndPairing', { pairingId: string; endedOn: string; reason: string }>
  /**
   * The term change: `mentor` is the mentor's mandate in the new term (null: not re-elected), and
   * `mentees` every mentee's (null: not re-elected). Ends the pairing when no mentee stays.
   */
  | Command<
      'CarryOverPairing',
      {
        pairingId: string;
        carriedOverOn: string;
        mentor: PairingMember | null;
        mentees: { personId: string; member: PairingMember | null }[];
        reason: string;
      }
    >;

interface Mentorship {
  personId: string;
  mandateId: string;
  /** First day as mentor. */
  from: string;
}

export type PairingState =
  | { status: 'none' }
  | {
      status: 'active' | 'ended';
      kind: PairingKind;
      startsOn: string;
      menteePersonIds: string[];
      /** Each mentee's mandate in the pairing (the one they were paired in, or carried over to). */
      menteeMandates: Record<string, string>;
      /** The day the mentor's post fell vacant (mentor not re-elected), until a handover; null otherwise. */
      mentorVacantFrom: string | null;
      /** Mentors in order; the last is the current one. */
      mentors: Mentorship[];
      endedOn: string | null;
      records: Records;
    };

type Formed = Exclude<PairingState, { status: 'none' }>;

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

const refuse = (code: ErrorCode, zh: string, en: string, field: string) => new DomainError(code, { zh, en }, field);

function formed(state: PairingState): Formed {
  if (state.status === 'none') throw refuse('pairing-not-found', '找不到该结对', 'No such pairing', 'pairingId');
  return state;
}

function active(state: PairingState): Formed {
  const pairing = formed(state);
  if (pairing.status === 'ended') throw refuse('pairing-ended', '该结对已经结束', 'This pairing has ended', 'pairingId');
  return pairing;
}

/** The mentor rules of each kind of pairing, for forming and for handing over. */
function assertMentor(kind: PairingKind, mentor: PairingMember, field: string): void {
  switch (kind) {
    case 'committee-liaison':
      if (mentor.kind !== 'committee-member') {
        throw refuse('mentor-not-committee-member', '联系代表须由常委会组成人员担任', 'A liaison mentor must be a standing-committee member', field);
      }
      return;
    case 'deputy-mentoring':
      if (mentor.kind !== 'deputy' || !mentor.publicServant) {
        throw refuse('mentor-not-public-servant-deputy', '帮带人须为公职人大代表', 'The mentor must be a public-servant deputy', field);
      }
      return;
    default:
      assertNever(kind);
  }
}

function assertMentees(kind: PairingKind, mentor: PairingMember, mentees: PairingMember[]): void {
  if (mentees.length === 0) throw refuse('no-mentees', '至少需要一名结对代表', 'A pairing needs at least one mentee', 'mentees');
  if (new Set(mentees.map((mentee) => mentee.personId)).size !== mentees.length) {
    throw refuse('duplicate-mentee', '结对代表重复', 'A mentee is listed twice', 'mentees');
  }
  for (const mentee of mentees) {
    if (mentee.personId === mentor.personId) throw refuse('self-mentoring', '不能与本人结对', 'No one can mentor themself', 'mentees');
    if (mentee.kind !== 'deputy') throw refuse('mentee-not-deputy', '结对对象须为人大代表', 'Every mentee must be a deputy', 'mentees');
    if (kind === 'deputy-mentoring' && mentee.publicServant) {
      throw refuse('mentee-public-servant', '公职代表帮带的对象须为非公职代表', 'A public-servant deputy mentors non-public-servant deputies only', 'mentees');
    }
  }
}

/** The mentor on a given day: the last one who had taken over by then. */
const mentorOn = (pairing: Formed, day: string): Mentorship | undefined => pairing.mentors.filter((mentor) => mentor.from <= day).at(-1);

function assertActivity(pairing: Formed, { personId, date, menteePersonIds }: Extract<PairingCommand, { type: 'RecordPairingActivity' }>['data']): void {
  if (date < pairing.startsOn) {
    throw refuse(
      'before-pairing-start',
      `结对开始于 ${pairing.startsOn}，活动不能早于此日`,
      `The pairing started on ${pairing.startsOn}; no activity before it`,
      'date',
    );
  }
  if (pairing.endedOn !== null && date > pairing.endedOn) {
    throw refuse('pairing-ended', `结对已于 ${pairing.endedOn} 结束`, `The pairing ended on ${pairing.endedOn}`, 'date');
  }
  if (menteePersonIds.length === 0) throw refuse('no-mentees', '请注明参加活动的结对代表', 'Name the mentees involved', 'menteePersonIds');
  if (new Set(menteePersonIds).size !== menteePersonIds.length) {
    throw refuse('duplicate-mentee', '参加活动的结对代表重复', 'A mentee is listed twice', 'menteePersonIds');
  }
  if (menteePersonIds.some((mentee) => !pairing.menteePersonIds.includes(mentee))) {
    throw refuse('not-a-mentee', '所列人员不是该结对的帮带对象', 'Someone listed is not a mentee of this pairing', 'menteePersonIds');
  }
  if (pairing.menteePersonIds.includes(personId)) {
    if (!menteePersonIds.includes(personId)) {
      throw refuse('mentee-not-involved', '记录的结对代表须列在参加人员中', 'A mentee recorded must be among the mentees involved', 'menteePersonIds');
    }
  } else if (mentorOn(pairing, date)?.personId !== personId || (pairing.mentorVacantFrom !== null && date >= pairing.mentorVacantFrom)) {
    throw refuse(
      'not-in-pairing',
      '该人员当日不是此结对的帮带人或帮带对象',
      'This person was neither the mentor nor a mentee of this pairing on that day',
      'personId',
    );
  }
}

export const pairingDecider: Decider<PairingCommand, PairingEvent, PairingState> = {
  category: 'pairing',
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'FormPairing': {
        const { pairingId, kind, mentor, mentees, startsOn } = command.data;
        if (state.status !== 'none') throw refuse('pairing-exists', '该结对已经登记过', 'This pairing is already recorded', 'pairingId');
        assertMentor(kind, mentor, 'mentorMandateId');
        assertMentees(kind, mentor, mentees);
        return [
          {
            type: 'PairingFormed',
            data: {
              pairingId,
              kind,
              termId: mentor.termId,
              mentorPersonId: mentor.personId,
              mentorMandateId: mentor.mandateId,
              mentees: mentees.map(({ personId, mandateId }) => ({ personId, mandateId })),
              startsOn,
            },
          },
        ];
      }
      case 'RecordPairingActivity': {
        const pairing = formed(state);
        assertNewRecord(pairing.records, command.data.recordId);
        assertActivity(pairing, command.data);
        return [{ type: 'PairingActivityRecorded', data: { ...command.data, act: 'pairing-activity' } }];
      }
      case 'HandOverPairing': {
        const pairing = active(state);
        const { pairingId, newMentor, handedOverOn, reason } = command.data;
        const current = pairing.mentors.at(-1)!;
        if (handedOverOn <= current.from) {
          throw refuse(
            'handover-date',
            `交接日期须晚于现任帮带人开始之日（${current.from}）`,
            `A handover must come after the current mentor started (${current.from})`,
            'handedOverOn',
          );
        }
        if (newMentor.personId === current.personId && pairing.mentorVacantFrom === null)
          throw refuse('same-mentor', '新帮带人与现任相同', 'The new mentor is the current one', 'newMentorPersonId');
        if (pairing.menteePersonIds.includes(newMentor.personId)) {
          throw refuse('self-mentoring', '帮带对象不能成为本结对的帮带人', 'A mentee cannot become the mentor of their own pairing', 'newMentorPersonId');
        }
        assertMentor(pairing.kind, newMentor, 'newMentorMandateId');
        return [
          {
            type: 'PairingHandedOver',
            data: {
              pairingId,
              previousMentorPersonId: current.personId,
              newMentorPersonId: newMentor.personId,
              newMentorMandateId: newMentor.mandateId,
              handedOverOn,
              reason,
            },
          },
        ];
      }
      case 'EndPairing': {
        const pairing = active(state);
        const { endedOn } = command.data;
        const current = pairing.mentors.at(-1)!;
        if (endedOn < current.from) {
          throw refuse('end-before-start', `结束日期不能早于 ${current.from}`, `A pairing cannot end before ${current.from}`, 'endedOn');
        }
        if ([...pairing.records.values()].some((record) => stands(record) && String(record.data.date) > endedOn)) {
          throw refuse('activity-after-end', '结束日期之后已有结对活动记录', 'Activities are recorded after that day', 'endedOn');
        }
        return [{ type: 'PairingEnded', data: command.data }];
      }
      case 'CarryOverPairing': {
        const pairing = active(state);
        const { pairingId, carriedOverOn, mentor, mentees, reason } = command.data;
        const current = pairing.mentors.at(-1)!;
        if (carriedOverOn <= current.from) {
          throw refuse(
            'handover-date',
            `换届衔接日期须晚于现任帮带人开始之日（${current.from}）`,
            `The carry-over must come after the current mentor started (${current.from})`,
            'carriedOverOn',
          );
        }
        if (mentor) assertMentor(pairing.kind, mentor, 'mentor');
        const staying = mentees.filter((mentee) => mentee.member !== null && pairing.menteePersonIds.includes(mentee.personId));
        if (staying.length === 0) {
          return [{ type: 'PairingEnded', data: { pairingId, endedOn: dayBefore(carriedOverOn), reason: `${reason}：结对代表均未连任` } }];
        }
        return [
          {
            type: 'PairingCarriedOver',
            data: {
              pairingId,
              carriedOverOn,
              mentorMandateId: mentor?.mandateId ?? null,
              mentees: staying.map((mentee) => ({ personId: mentee.personId, mandateId: mentee.member!.mandateId })),
              leftPersonIds: pairing.menteePersonIds.filter((personId) => !staying.some((mentee) => mentee.personId === personId)),
              reason,
            },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    if (event.type === 'PairingFormed') {
      const { kind, startsOn, mentorPersonId, mentorMandateId, mentees } = event.data;
      return {
        status: 'active',
        kind,
        startsOn,
        menteePersonIds: mentees.map((mentee) => mentee.personId),
        menteeMandates: Object.fromEntries(mentees.map((mentee) => [mentee.personId, mentee.mandateId])),
        mentorVacantFrom: null,
        mentors: [{ personId: mentorPersonId, mandateId: mentorMandateId, from: startsOn }],
        endedOn: null,
        records: noRecords,
      };
    }
    if (state.status === 'none') return state;
    if (isReviewEvent(event)) return { ...state, records: trackRecords(state.records, event) };
    switch (event.type) {
      case 'PairingHandedOver':
        return {
          ...state,
          mentors: [...state.mentors, { personId: event.data.newMentorPersonId, mandateId: event.data.newMentorMandateId, from: event.data.handedOverOn }],
          mentorVacantFrom: null,
        };
      case 'PairingCarriedOver': {
        const { mentorMandateId, mentees, carriedOverOn } = event.data;
        const current = state.mentors.at(-1)!;
        return {
          ...state,
          menteePersonIds: mentees.map((mentee) => mentee.personId),
          menteeMandates: Object.fromEntries(mentees.map((mentee) => [mentee.personId, mentee.mandateId])),
          mentors: mentorMandateId ? [...state.mentors, { personId: current.personId, mandateId: mentorMandateId, from: carriedOverOn }] : state.mentors,
          mentorVacantFrom: mentorMandateId ? null : carriedOverOn,
        };
      }
      case 'PairingEnded':
        return { ...state, status: 'ended', endedOn: event.data.endedOn };
      case 'PairingActivityRecorded':
        return { ...state, records: trackRecords(state.records, event) };
      default:
        return assertNever(event);
    }
  },
};
