import { z } from 'zod';
import { actRecordFields } from '../kernel/acts.ts';
import { defineEvent, type EventOf } from '../kernel/registry.ts';
import type { ReviewEvent } from '../review/events.ts';

/** 结队帮带: a standing-committee member linking with deputies, or a public-servant deputy helping non-public-servant deputies. */
export const PAIRING_KINDS = ['committee-liaison', 'deputy-mentoring'] as const;
export type PairingKind = (typeof PAIRING_KINDS)[number];

export const PAIRING_KIND_LABELS: Record<PairingKind, { zh: string; en: string }> = {
  'committee-liaison': { zh: '常委会组成人员联系代表', en: 'Standing-committee member liaising with deputies' },
  'deputy-mentoring': { zh: '公职代表帮带非公职代表（一帮一、一帮多）', en: 'Public-servant deputy mentoring non-public-servant deputies' },
};

const id = z.uuid();
const date = z.iso.date();
const pairingId = id.describe('the pairing (its stream is pairing:<pairingId>)');
const reason = z.string().min(1).max(1000);

export const PairingFormed = defineEvent({
  type: 'PairingFormed',
  version: 1,
  stream: 'pairing',
  description:
    'A pairing (结队帮带) was formed: a standing-committee member links with deputies (联系代表), or a public-servant deputy helps ' +
    'one or more non-public-servant deputies (一帮一、一帮多). Every mandate named was valid on `startsOn`.',
  schema: z.object({
    pairingId,
    kind: z.enum(PAIRING_KINDS).describe('`committee-liaison` (联系代表) or `deputy-mentoring` (公职代表帮带非公职代表)'),
    termId: id.describe('the term (届) it was formed in: the mentor’s mandate’s term'),
    mentorPersonId: id.describe('the mentor: the committee member, or the public-servant deputy'),
    mentorMandateId: id.describe('the mandate the mentor acts in: committee-member, or a public-servant deputy’s'),
    mentees: z
      .array(z.object({ personId: id.describe('a mentee'), mandateId: id.describe('the mentee’s deputy mandate') }))
      .min(1)
      .describe('the deputies paired with the mentor, each with their deputy mandate'),
    startsOn: date.describe('first day of the pairing; no activity is recorded before it'),
  }),
});

export const PairingActivityRecorded = defineEvent({
  type: 'PairingActivityRecorded',
  version: 1,
  stream: 'pairing',
  record: true,
  description:
    'A person took part in a pairing activity (结队帮带活动), the mentor or a mentee: one record per person who took part, ' +
    'describing what was done and which mentees were involved.',
  schema: z.object({
    ...actRecordFields,
    act: z.literal('pairing-activity').describe('always `pairing-activity`'),
    pairingId,
    description: z.string().min(1).max(2000).describe('what was done, e.g. a joint station visit or a talk on drafting suggestions'),
    menteePersonIds: z.array(id).min(1).describe('the mentees involved in the activity'),
  }),
});

export const PairingHandedOver = defineEvent({
  type: 'PairingHandedOver',
  version: 1,
  stream: 'pairing',
  description:
    'The pairing passed to a new mentor (交接), e.g. because the old mentor’s mandate ended at 换届; the mentees and the history stay with the pairing.',
  schema: z.object({
    pairingId,
    previousMentorPersonId: id.describe('the mentor until the handover'),
    newMentorPersonId: id.describe('the mentor from `handedOverOn`'),
    newMentorMandateId: id.describe('the mandate the new mentor acts in, valid on `handedOverOn`'),
    handedOverOn: date.describe('the first day of the new mentor'),
    reason: reason.describe('why, e.g. the old mentor’s mandate ended'),
  }),
});

export const PairingCarriedOver = defineEvent({
  type: 'PairingCarriedOver',
  version: 1,
  stream: 'pairing',
  description:
    'At a term change (换届) the pairing goes on with the mandates people hold in the new term: the mentor’s new mandate (or none: the mentor ' +
    'was not re-elected and the post is vacant until a handover), and the mentees who were re-elected, each with their new mandate; mentees ' +
    'who were not re-elected leave it.',
  schema: z.object({
    pairingId,
    carriedOverOn: date.describe('the first day of the new mandates in the pairing'),
    mentorMandateId: id.nullable().describe('the mentor’s new mandate; null when the mentor holds none (mentor vacant: 帮带人未连任)'),
    mentees: z
      .array(z.object({ personId: id, mandateId: id.describe('the mentee’s new deputy mandate') }))
      .min(1)
      .describe('the mentees who stay, with their new mandates'),
    leftPersonIds: z.array(id).describe('mentees who left the pairing because they were not re-elected'),
    reason: reason.describe('e.g. 换届连任'),
  }),
});

export const PairingEnded = defineEvent({
  type: 'PairingEnded',
  version: 1,
  stream: 'pairing',
  description: 'A pairing (结队帮带) ended; no activity after `endedOn` and no handover can be recorded for it.',
  schema: z.object({ pairingId, endedOn: date.describe('the last day of the pairing'), reason: reason.describe('why it ended') }),
});

export const pairingEvents = [PairingFormed, PairingActivityRecorded, PairingHandedOver, PairingCarriedOver, PairingEnded];
export type PairingOwnEvent =
  | EventOf<typeof PairingFormed>
  | EventOf<typeof PairingActivityRecorded>
  | EventOf<typeof PairingHandedOver>
  | EventOf<typeof PairingCarriedOver>
  | EventOf<typeof PairingEnded>;
/** Everything on a pairing stream: its own events and the review of its records. */
export type PairingEvent = PairingOwnEvent | ReviewEvent;
