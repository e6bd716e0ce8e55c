/**
 * Completing a term change (换届衔接). When a term has closed, whatever its mandates held must end
 * or go on with the holder's mandate in the new term — in events the log keeps, each with its
 * reason:
 *
 *   - every mandate of the closed term still running ends on the close (届满);
 *   - a station assignment under a mandate that ended goes on with the deputy's new deputy
 *     mandate (连任续驻), else ends on the mandate's last day;
 *   - a station manager whose post ended goes on in their new township-chair or office post, else
 *     the role ends (the station has no manager until one is assigned: a flag in the handover);
 *   - a pairing goes on with the mentor's and the re-elected mentees' new mandates; without a
 *     re-elected mentor the post is vacant until a handover; without any re-elected mentee it ends.
 *
 * Each step is one ordinary command on one stream, decided by that stream's decider; the plan only
 * chooses them. Command ids are derived from the term and the step, so running the change again
 * (after a failure, or after more new mandates were registered) appends only what is missing.
 * The streams to look at come from a `TermChangeFinder`, which the composition root answers from
 * the read models (the API) or from what it wrote (the demo seed).
 */
import type { CommandBus } from '../kernel/command.ts';
import { DomainError } from '../kernel/errors.ts';
import { eventIdFor } from '../kernel/ids.ts';
import type { Lookups } from '../kernel/lookups.ts';
import type { CommandContext } from '../kernel/messages.ts';
import { pairingDecider, pairingStream, type PairingState } from '../pairing/decider.ts';
import { personDecider, personStream } from '../person/decider.ts';
import { stationDecider } from '../station/decider.ts';
import { currentAssignment, stationStream, type StationState } from '../station/state.ts';
import { earlierEnd } from './acting.ts';
import { mandateDecider, mandateStream, type MandateState, termDecider, termStream } from './decider.ts';
import { END_REASON_LABELS, type MandateKind } from './events.ts';

/** Where to look: ids only; every state is read from the streams themselves. */
export interface TermChangeFinder {
  /** Every mandate of the term. */
  mandatesOfTerm(termId: string): Promise<string[]>;
  /** Every mandate of these people, in any term. */
  mandatesOfPeople(personIds: readonly string[]): Promise<string[]>;
  /** Every station. */
  stations(): Promise<string[]>;
  /** Every pairing not ended. */
  openPairings(): Promise<string[]>;
}

export type TermChangeStepKind = 'end-mandate' | 'carry-over-assignment' | 'end-assignment' | 'carry-over-manager' | 'end-manager' | 'carry-over-pairing';

export interface TermChangeStep {
  kind: TermChangeStepKind;
  /** Unique in the plan; the command id is derived from it. */
  key: string;
  command: string;
  input: Record<string, unknown>;
  /** What the step does, in words a clerk reads. */
  zh: string;
  en: string;
}

export interface TermChangePlan {
  termId: string;
  number: number;
  closedOn: string;
  steps: TermChangeStep[];
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const later = (a: string, b: string) => (a > b ? a : b);

type Held = Exclude<MandateState, { status: 'none' }> & { mandateId: string; validTo: string | null };

const MANAGER_KINDS: readonly MandateKind[] = ['township-chair', 'office-staff'];

/** The steps that complete the change at the close of `termId`; empty when nothing is left to do. */
export async function planTermChange(lookups: Lookups, finder: TermChangeFinder, termId: string): Promise<TermChangePlan> {
  const { state: term } = await lookups.state(termDecider, termStream(termId));
  if (term.status === 'none') throw new DomainError('term-not-found', { zh: '找不到该届次', en: 'No such term' }, 'termId');
  if (term.status !== 'closed' || term.closedOn === null) {
    throw new DomainError('term-not-closed', { zh: '该届次尚未换届，不能办理换届衔接', en: 'The term has not closed yet' }, 'termId');
  }
  const closedOn = term.closedOn;
  const firstDay = addDays(closedOn, 1);

  const termClosures = new Map<string, string | null>();
  const closeOf = async (id: string) => {
    if (!termClosures.has(id)) {
      const { state } = await lookups.state(termDecider, termStream(id));
      termClosures.set(id, state.status === 'closed' ? state.closedOn : null);
    }
    return termClosures.get(id)!;
  };
  const mandates = new Map<string, Held | null>();
  const load = async (mandateId: string): Promise<Held | null> => {
    if (!mandates.has(mandateId)) {
      const { state } = await lookups.state(mandateDecider, mandateStream(mandateId));
      mandates.set(mandateId, state.status === 'none' ? null : { ...state, mandateId, validTo: earlierEnd(state.endsOn, await closeOf(state.termId)) });
    }
    return mandates.get(mandateId)!;
  };

  const ofTerm = (await Promise.all((await finder.mandatesOfTerm(termId)).map(load))).filter((mandate): mandate is Held => mandate !== null);
  const people = [...new Set(ofTerm.map((mandate) => mandate.personId))];
  await Promise.all((await finder.mandatesOfPeople(people)).map(load));
  const names = new Map<string, string>();
  await Promise.all(
    people.map(async (personId) => {
      const { state } = await lookups.state(personDecider, personStream(personId));
      names.set(personId, state.registered ? state.name : '（未登记姓名）');
    }),
  );
  const nameOf = (personId: string) => names.get(personId) ?? '（未登记姓名）';
  /** The person's mandate in a later term running on `firstDay` or starting after it, of one of `kinds`: the earliest. */
  const newMandate = (personId: string, kinds: readonly MandateKind[], test: (mandate: Held) => boolean = () => true): Held | null =>
    [...mandates.values()]
      .filter(
        (mandate): mandate is Held =>
          mandate !== null &&
          mandate.personId === personId &&
          mandate.termId !== termId &&
          kinds.includes(mandate.kind) &&
          (mandate.validTo === null || mandate.validTo >= firstDay) &&
          mandate.startsOn > closedOn &&
          !mandate.byElection &&
          test(mandate),
      )
      .sort((a, b) => (a.startsOn < b.startsOn ? -1 : a.startsOn > b.startsOn ? 1 : a.mandateId < b.mandateId ? -1 : 1))[0] ?? null;
  const endedByClose = (mandateId: string) => {
    const mandate = mandates.get(mandateId);
    return mandate?.termId === termId;
  };

  const steps: TermChangeStep[] = [];
  const label = `第${term.number}届`;

  // Mandates still running end on the close.
  for (const mandate of ofTerm) {
    if (mandate.status !== 'active') continue;
    const again =
      newMandate(mandate.personId, [mandate.kind]) ??
      newMandate(mandate.personId, ['deputy', ...MANAGER_KINDS, 'committee-member', 'special-committee-member']);
    steps.push({
      kind: 'end-mandate',
      key: `mandate:${mandate.mandateId}`,
      command: 'EndMandateAtTermClose',
      input: { mandateId: mandate.mandateId },
      zh: `${nameOf(mandate.personId)}的${label}任职于 ${closedOn} ${END_REASON_LABELS['term-close'].zh}（${again ? '连任' : '未连任'}）`,
      en: `${nameOf(mandate.personId)}'s mandate of term ${term.number} ends on ${closedOn} (${again ? 're-elected' : 'not re-elected'})`,
    });
  }

  // Stations: assignments and the manager in charge.
  const stations: { stationId: string; state: StationState }[] = await Promise.all(
    (await finder.stations()).map(async (stationId) => ({ stationId, state: (await lookups.state(stationDecider, stationStream(stationId))).state })),
  );
  /** Deputies with a running assignment anywhere under a new mandate: not carried over a second time. */
  const assignedInNewTerm = new Set<string>();
  for (const { state } of stations) {
    if (state.status === 'none') continue;
    for (const assignment of state.assignments) {
      if (assignment.unassignedOn === null && !endedByClose(assignment.mandateId)) assignedInNewTerm.add(assignment.personId);
    }
  }
  for (const { stationId, state } of stations) {
    if (state.status !== 'open') continue;
    const people = new Set(state.assignments.map((assignment) => assignment.personId));
    for (const personId of people) {
      const current = currentAssignment(state, personId);
      const last = state.assignments.filter((assignment) => assignment.personId === personId).at(-1)!;
      if (!endedByClose(last.mandateId)) continue;
      const old = mandates.get(last.mandateId)!;
      const again = newMandate(personId, ['deputy']);
      const endedAtClose =
        current === undefined && last.unassignedOn !== null && last.unassignedOn >= old.startsOn && old.validTo !== null && last.unassignedOn >= old.validTo;
      if (again && !assignedInNewTerm.has(personId) && (current || endedAtClose)) {
        assignedInNewTerm.add(personId);
        const continuedOn = later(firstDay, again.startsOn);
        if (current && continuedOn > firstDay && old.validTo !== null) {
          // The new term began some days after the close: the old assignment ends with its mandate, the new one begins with the new mandate.
          steps.push({
            kind: 'end-assignment',
            key: `unassignment:${stationId}:${personId}`,
            command: 'UnassignDeputyFromStation',
            input: { stationId, personId, unassignedOn: later(old.validTo, current.assignedOn), reason: '届满' },
            zh: `${nameOf(personId)}届满，于 ${old.validTo} 暂离「${state.name}」，新任职开始后续驻`,
            en: `${nameOf(personId)}'s assignment at ${state.name} ends with the mandate on ${old.validTo}, until the new mandate begins`,
          });
        }
        steps.push({
          kind: 'carry-over-assignment',
          key: `assignment:${stationId}:${personId}`,
          command: 'CarryOverStationAssignment',
          input: { stationId, personId, mandateId: again.mandateId, continuedOn, reason: '换届连任，随新任职续驻' },
          zh: `${nameOf(personId)}连任，自 ${continuedOn} 以新任职继续进驻「${state.name}」`,
          en: `${nameOf(personId)} was re-elected and stays at ${state.name} from ${continuedOn}`,
        });
      } else if (current && old.validTo !== null) {
        const reason = old.endReason && old.endReason !== 'term-close' ? END_REASON_LABELS[old.endReason as keyof typeof END_REASON_LABELS].zh : '届满未连任';
        const unassignedOn = later(old.validTo, current.assignedOn);
        steps.push({
          kind: 'end-assignment',
          key: `assignment:${stationId}:${personId}`,
          command: 'UnassignDeputyFromStation',
          input: { stationId, personId, unassignedOn, reason },
          zh: `${nameOf(personId)}${reason}，于 ${unassignedOn} 离开「${state.name}」`,
          en: `${nameOf(personId)} leaves ${state.name} on ${unassignedOn} (${reason})`,
        });
      }
    }
    const manager = state.managers.at(-1);
    if (manager && manager.endedOn === null && endedByClose(manager.mandateId)) {
      const old = mandates.get(manager.mandateId)!;
      // A township chair goes on managing the stations of the township they chair in the new term.
      const again = newMandate(manager.personId, MANAGER_KINDS, (m) => m.kind !== 'township-chair' || m.township === state.township);
      if (again) {
        const assignedOn = later(firstDay, again.startsOn);
        steps.push({
          kind: 'carry-over-manager',
          key: `manager:${stationId}`,
          command: 'AssignStationManager',
          input: { stationId, managerPersonId: manager.personId, managerMandateId: again.mandateId, assignedOn },
          zh: `${nameOf(manager.personId)}连任，自 ${assignedOn} 以新任职继续负责「${state.name}」`,
          en: `${nameOf(manager.personId)} was re-elected and keeps managing ${state.name} from ${assignedOn}`,
        });
      } else {
        const endedOn = later(old.validTo ?? closedOn, manager.assignedOn);
        steps.push({
          kind: 'end-manager',
          key: `manager:${stationId}`,
          command: 'EndStationManagerRole',
          input: { stationId, managerPersonId: manager.personId, endedOn, reason: '届满未连任' },
          zh: `${nameOf(manager.personId)}届满未连任，于 ${endedOn} 卸任「${state.name}」负责人（该站待指定新负责人）`,
          en: `${nameOf(manager.personId)} stops managing ${state.name} on ${endedOn}; the station awaits a new manager`,
        });
      }
    }
  }

  // Pairings whose mentor or mentees held mandates of the closed term.
  const pairings: { pairingId: string; state: PairingState }[] = await Promise.all(
    (await finder.openPairings()).map(async (pairingId) => ({ pairingId, state: (await lookups.state(pairingDecider, pairingStream(pairingId))).state })),
  );
  for (const { pairingId, state } of pairings) {
    if (state.status !== 'active') continue;
    const mentor = state.mentors.at(-1)!;
    const mentorEnds = state.mentorVacantFrom === null && endedByClose(mentor.mandateId);
    const menteesEnding = state.menteePersonIds.filter((personId) => endedByClose(state.menteeMandates[personId] ?? ''));
    if (!mentorEnds && menteesEnding.length === 0) continue;
    for (const personId of [mentor.personId, ...state.menteePersonIds]) {
      if (!names.has(personId)) {
        const { state: person } = await lookups.state(personDecider, personStream(personId));
        names.set(personId, person.registered ? person.name : '（未登记姓名）');
      }
    }
    await Promise.all((await finder.mandatesOfPeople([mentor.personId, ...state.menteePersonIds])).map(load));
    const mentorKinds: readonly MandateKind[] = state.kind === 'committee-liaison' ? ['committee-member'] : ['deputy'];
    const newMentor =
      state.mentorVacantFrom !== null
        ? null
        : mentorEnds
          ? newMandate(mentor.personId, mentorKinds, (m) => state.kind === 'committee-liaison' || m.publicServant)
          : (mandates.get(mentor.mandateId) ?? null);
    const mentees = state.menteePersonIds.map((personId) => {
      const mandateId = state.menteeMandates[personId] ?? '';
      const again = endedByClose(mandateId)
        ? newMandate(personId, ['deputy'], (m) => state.kind === 'committee-liaison' || !m.publicServant)
        : (mandates.get(mandateId) ?? null);
      return { personId, mandateId: again?.mandateId ?? null };
    });
    const carriedOverOn = [
      firstDay,
      ...(newMentor ? [newMentor.startsOn] : []),
      ...mentees.flatMap((mentee) => (mentee.mandateId ? [mandates.get(mentee.mandateId)!.startsOn] : [])),
    ].reduce(later);
    const staying = mentees.filter((mentee) => mentee.mandateId !== null);
    const what =
      staying.length === 0
        ? '结对代表均未连任，结对结束'
        : `${newMentor ? `帮带人${nameOf(mentor.personId)}连任` : `帮带人${nameOf(mentor.personId)}未连任，待交接新帮带人`}；继续结对：${staying.map((mentee) => nameOf(mentee.personId)).join('、')}${
            staying.length < mentees.length
              ? `；未连任离开：${mentees
                  .filter((mentee) => mentee.mandateId === null)
                  .map((mentee) => nameOf(mentee.personId))
                  .join('、')}`
              : ''
          }`;
    steps.push({
      kind: 'carry-over-pairing',
      key: `pairing:${pairingId}`,
      command: 'CarryOverPairing',
      input: { pairingId, carriedOverOn, mentorMandateId: newMentor?.mandateId ?? null, mentees, reason: '换届衔接' },
      zh: `结对帮带（帮带人${nameOf(mentor.personId)}）：${what}`,
      en: `Pairing of ${nameOf(mentor.personId)}: ${staying.length === 0 ? 'ends, no mentee re-elected' : newMentor ? 'goes on with the new mandates' : 'mentor not re-elected, awaits a handover'}`,
    });
  }
  return { termId, number: term.number, closedOn, steps };
}

export interface TermChangeOutcome {
  plan: TermChangePlan;
  done: TermChangeStep[];
  refused: { step: TermChangeStep; code: string; zh: string; en: string }[];
  /** The log positions of the events the steps wrote. */
  positions: number[];
}

/** The command id of a step: the same for the same term and step, so a second run appends nothing twice. */
export const termChangeCommandId = (termId: string, step: Pick<TermChangeStep, 'key'>) => eventIdFor(`term-change:${termId}`, step.key, 0);

/**
 * Plans and runs the change: mandates first, then stations and pairings. A refused step is
 * reported and the others still run; running it again retries what is left.
 */
export async function completeTermChange(
  bus: CommandBus,
  lookups: Lookups,
  finder: TermChangeFinder,
  termId: string,
  context: Omit<CommandContext, 'commandId'>,
): Promise<TermChangeOutcome> {
  const plan = await planTermChange(lookups, finder, termId);
  const done: TermChangeStep[] = [];
  const refused: TermChangeOutcome['refused'] = [];
  const positions: number[] = [];
  for (const step of plan.steps) {
    try {
      const outcome = await bus.execute(step.command, step.input, {
        ...context,
        commandId: termChangeCommandId(termId, step),
        correlationId: context.correlationId ?? eventIdFor(`term-change:${termId}`, 'correlation', 0),
      });
      positions.push(...outcome.events.map((event) => event.position));
      done.push(step);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refused.push({ step, code: error.code, zh: error.messages.zh, en: error.messages.en });
    }
  }
  return { plan, done, refused, positions };
}
