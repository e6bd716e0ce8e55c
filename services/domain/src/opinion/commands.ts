/**
 * Opinions: registered by the deputy who received them (their own only), a station manager or
 * staff; handled (referred, answered, closed, reopened) by staff or a station manager — a station
 * manager only for the stations they are in charge of (station/in-charge.ts).
 */
import { z } from 'zod';
import { defineCommand } from '../kernel/command.ts';
import { declaredBy } from '../kernel/recording.ts';
import { id, isoDate, phone, reason, text } from '../kernel/schemas.ts';
import { actingMandate } from '../mandate/acting.ts';
import { stationDecider } from '../station/decider.ts';
import { assertInCharge, stationScope } from '../station/in-charge.ts';
import type { Lookups } from '../kernel/lookups.ts';
import type { CommandContext } from '../kernel/messages.ts';
import { assignmentOn, stationStream } from '../station/state.ts';
import { opinionDecider, opinionStream } from './decider.ts';
import { OPINION_SATISFACTION } from './events.ts';

const HANDLERS = ['staff', 'station-manager', 'admin'] as const;

export const registerOpinion = defineCommand({
  name: 'RegisterOpinion',
  description: 'Registers a voter’s opinion received by a deputy at a station (意见登记). The voter’s details are personal data, never public.',
  roles: ['deputy', 'station-manager', 'staff', 'admin'],
  input: z.object({
    opinionId: id,
    stationId: id,
    receptionId: id.nullable().default(null),
    receivedByPersonId: id,
    voter: z.object({ name: text(100), phone: phone.nullable().default(null), address: text(200).nullable().default(null) }),
    content: text(4000),
    category: text(50),
    registeredOn: isoDate,
    deadline: isoDate,
  }),
  decider: opinionDecider,
  streamId: (input) => opinionStream(input.opinionId),
  async toCommand(data, { context, lookups }) {
    declaredBy(context, data.receivedByPersonId, 'receivedByPersonId');
    const { state: station } = await lookups.state(stationDecider, stationStream(data.stationId));
    // The deputy's mandate is the one they were assigned to the station in; the decider refuses a deputy not assigned that day.
    const assignment = assignmentOn(station, data.receivedByPersonId, data.registeredOn);
    if (assignment) {
      await actingMandate(lookups, assignment.mandateId, data.receivedByPersonId, data.registeredOn, { kinds: ['deputy'], field: 'receivedByPersonId' });
    }
    return { type: 'RegisterOpinion' as const, data: { ...data, station } };
  },
});

export const referOpinion = defineCommand({
  name: 'ReferOpinion',
  description: 'Refers an opinion to an agency to handle (交办), or to another agency before it is answered.',
  roles: HANDLERS,
  input: z.object({ opinionId: id, agency: text(200), referredOn: isoDate, deadline: isoDate }),
  decider: opinionDecider,
  streamId: (input) => opinionStream(input.opinionId),
  toCommand: (data) => ({ type: 'ReferOpinion' as const, data }),
});

export const answerOpinion = defineCommand({
  name: 'AnswerOpinion',
  description: 'Records the answer to an opinion (答复): the referred agency’s, or one given on the spot (当场答复) if never referred.',
  roles: HANDLERS,
  input: z.object({ opinionId: id, answeredOn: isoDate, answer: text(4000) }),
  decider: opinionDecider,
  streamId: (input) => opinionStream(input.opinionId),
  toCommand: (data) => ({ type: 'AnswerOpinion' as const, data }),
});

export const closeOpinion = defineCommand({
  name: 'CloseOpinion',
  description: 'Closes an answered opinion (办结) with the voter’s rating: 满意, 基本满意 or 不满意.',
  roles: HANDLERS,
  input: z.object({ opinionId: id, closedOn: isoDate, satisfaction: z.enum(OPINION_SATISFACTION), note: text(1000).nullable().default(null) }),
  decider: opinionDecider,
  streamId: (input) => opinionStream(input.opinionId),
  toCommand: (data) => ({ type: 'CloseOpinion' as const, data }),
});

export const reopenOpinion = defineCommand({
  name: 'ReopenOpinion',
  description: 'Reopens an opinion the voter was dissatisfied with, for handling again (重新办理).',
  roles: HANDLERS,
  input: z.object({ opinionId: id, reopenedOn: isoDate, reason, deadline: isoDate }),
  decider: opinionDecider,
  streamId: (input) => opinionStream(input.opinionId),
  toCommand: (data) => ({ type: 'ReopenOpinion' as const, data }),
});

/** Handling an opinion: a station manager only at the station whose books hold it. */
async function openedAtTheirStation(input: { opinionId: string }, { context, lookups }: { context: CommandContext; lookups: Lookups }): Promise<void> {
  if (context.actor.role !== 'station-manager') return;
  const { state } = await lookups.state(opinionDecider, opinionStream(input.opinionId));
  // An unknown opinion is the decider's to refuse.
  if (state.status !== 'none') await assertInCharge(lookups, context, state.stationId);
}

export const opinionCommandList = [
  { ...registerOpinion, scope: stationScope },
  ...[referOpinion, answerOpinion, closeOpinion, reopenOpinion].map((definition) => ({ ...definition, scope: openedAtTheirStation })),
];
