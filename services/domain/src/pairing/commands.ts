import { z } from 'zod';
import { defineCommand } from '../kernel/command.ts';
import { ACT_RECORDERS, declaredBy, recordIdFor } from '../kernel/recording.ts';
import { id, isoDate, reason, text } from '../kernel/schemas.ts';
import { actingMandate } from '../mandate/acting.ts';
import type { Lookups } from '../kernel/lookups.ts';
import { mandateDecider, mandateStream } from '../mandate/decider.ts';
import { type PairingMember, pairingDecider, pairingStream } from './decider.ts';
import { PAIRING_KINDS } from './events.ts';

const MAX_MENTEES = 50;
const member = z.object({ personId: id, mandateId: id });

export const formPairing = defineCommand({
  name: 'FormPairing',
  description: 'Forms a pairing (结队帮带): a committee member linking with deputies, or a public-servant deputy helping non-public-servant deputies.',
  roles: ['staff', 'admin'],
  input: z.object({
    pairingId: id,
    kind: z.enum(PAIRING_KINDS),
    mentorPersonId: id,
    mentorMandateId: id,
    mentees: z.array(member).max(MAX_MENTEES),
    startsOn: isoDate,
  }),
  decider: pairingDecider,
  streamId: (input) => pairingStream(input.pairingId),
  async toCommand({ pairingId, kind, mentorPersonId, mentorMandateId, mentees, startsOn }, { lookups }) {
    const [mentor, ...checked] = await Promise.all([
      actingMandate(lookups, mentorMandateId, mentorPersonId, startsOn, { field: 'mentorMandateId' }),
      ...mentees.map((mentee, index) => actingMandate(lookups, mentee.mandateId, mentee.personId, startsOn, { field: `mentees.${index}.mandateId` })),
    ]);
    return { type: 'FormPairing' as const, data: { pairingId, kind, mentor: mentor!, mentees: checked, startsOn } };
  },
});

export const recordPairingActivity = defineCommand({
  name: 'RecordPairingActivity',
  description: 'Records that the mentor or a mentee took part in a pairing activity (结队帮带活动). A deputy may declare their own (申报).',
  roles: ACT_RECORDERS,
  input: z.object({
    pairingId: id,
    personId: id,
    mandateId: id,
    date: isoDate,
    description: text(2000),
    menteePersonIds: z.array(id).max(MAX_MENTEES),
    recordId: id.optional(),
  }),
  decider: pairingDecider,
  streamId: (input) => pairingStream(input.pairingId),
  async toCommand({ recordId, ...data }, { context, lookups }) {
    const declared = declaredBy(context, data.personId);
    await actingMandate(lookups, data.mandateId, data.personId, data.date);
    return { type: 'RecordPairingActivity' as const, data: { ...data, recordId: recordIdFor(context, recordId), declared } };
  },
});

export const handOverPairing = defineCommand({
  name: 'HandOverPairing',
  description: 'Hands a pairing over to a new mentor (交接), e.g. when the old mentor’s mandate ended.',
  roles: ['staff', 'admin'],
  input: z.object({ pairingId: id, newMentorPersonId: id, newMentorMandateId: id, handedOverOn: isoDate, reason }),
  decider: pairingDecider,
  streamId: (input) => pairingStream(input.pairingId),
  async toCommand({ pairingId, newMentorPersonId, newMentorMandateId, handedOverOn, reason }, { lookups }) {
    const newMentor = await actingMandate(lookups, newMentorMandateId, newMentorPersonId, handedOverOn, { field: 'newMentorMandateId' });
    return { type: 'HandOverPairing' as const, data: { pairingId, newMentor, handedOverOn, reason } };
  },
});

export const endPairing = defineCommand({
  name: 'EndPairing',
  description: 'Ends a pairing (结队帮带结束).',
  roles: ['staff', 'admin'],
  input: z.object({ pairingId: id, endedOn: isoDate, reason }),
  decider: pairingDecider,
  streamId: (input) => pairingStream(input.pairingId),
  toCommand: (data) => ({ type: 'EndPairing' as const, data }),
});

/** A mandate as a pairing member: its holder, kind and term, without the validity check (the carry-over names mandates it found itself). */
async function memberOf(lookups: Lookups, mandateId: string | null): Promise<PairingMember | null> {
  if (!mandateId) return null;
  const { state } = await lookups.state(mandateDecider, mandateStream(mandateId));
  if (state.status === 'none') return null;
  return { personId: state.personId, mandateId, termId: state.termId, kind: state.kind, publicServant: state.publicServant };
}

export const carryOverPairing = defineCommand({
  name: 'CarryOverPairing',
  description:
    'At a term change, carries a pairing over to the new mandates: the mentor’s (or none: vacant until a handover) and the re-elected mentees’; ends it when no mentee stays.',
  roles: ['staff', 'admin'],
  input: z.object({
    pairingId: id,
    carriedOverOn: isoDate,
    mentorMandateId: id.nullable(),
    mentees: z.array(z.object({ personId: id, mandateId: id.nullable() })).max(MAX_MENTEES),
    reason,
  }),
  decider: pairingDecider,
  streamId: (input) => pairingStream(input.pairingId),
  async toCommand({ pairingId, carriedOverOn, mentorMandateId, mentees, reason }, { lookups }) {
    const mentor = await memberOf(lookups, mentorMandateId);
    const members = await Promise.all(mentees.map(async (mentee) => ({ personId: mentee.personId, member: await memberOf(lookups, mentee.mandateId) })));
    // The mentor is whoever holds the mandate named; an unknown mandate is refused as such (mandate-not-found).
    if (mentorMandateId) await actingMandate(lookups, mentorMandateId, mentor?.personId ?? '', carriedOverOn, { field: 'mentorMandateId' });
    await Promise.all(
      mentees.map((mentee, index) =>
        mentee.mandateId ? actingMandate(lookups, mentee.mandateId, mentee.personId, carriedOverOn, { field: `mentees.${index}.mandateId` }) : null,
      ),
    );
    return { type: 'CarryOverPairing' as const, data: { pairingId, carriedOverOn, mentor, mentees: members, reason } };
  },
});

export const pairingCommands = [formPairing, recordPairingActivity, handOverPairing, endPairing, carryOverPairing];
