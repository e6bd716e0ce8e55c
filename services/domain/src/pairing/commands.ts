import { z } from 'zod';
import { defineCommand } from '../kernel/command.ts';
import { ACT_RECORDERS, declaredBy, recordIdFor } from '../kernel/recording.ts';
import { id, isoDate, reason, text } from '../kernel/schemas.ts';
import { actingMandate } from '../mandate/acting.ts';
import { pairingDecider, pairingStream } from './decider.ts';
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

export const pairingCommands = [formPairing, recordPairingActivity, handOverPairing, endPairing];
