import { z } from 'zod';
import { defineEvent, type EventOf } from '../kernel/registry.ts';

/** The kinds of item left open at a term change (the handover read model finds them). */
export const HANDOVER_ITEM_KINDS = ['opinion', 'suggestion', 'pairing', 'station-duties'] as const;
export type HandoverItemKind = (typeof HANDOVER_ITEM_KINDS)[number];

/** `<kind>:<id>`, as the handover dossier names an open item. */
export const itemKeySchema = z
  .string()
  .regex(
    new RegExp(`^(${HANDOVER_ITEM_KINDS.join('|')}):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`),
    'must name an open item, e.g. opinion:<id>',
  )
  .describe('the open item, `<kind>:<id>` with kind opinion, suggestion, pairing or station-duties');
const termId = z.uuid().describe('the term at whose close the item was left open');

export const HandoverItemAcknowledged = defineEvent({
  type: 'HandoverItemAcknowledged',
  version: 1,
  stream: 'handover',
  description: 'The person who inherited an item left open at a term change acknowledged taking it on (接收确认).',
  schema: z.object({
    termId,
    itemKey: itemKeySchema,
    personId: z.uuid().describe('who acknowledged: the inheritor'),
    acknowledgedOn: z.iso.date().describe('the day'),
    note: z.string().trim().min(1).max(1000).nullable().describe('what they noted, if anything'),
  }),
});

export const HandoverItemReassigned = defineEvent({
  type: 'HandoverItemReassigned',
  version: 1,
  stream: 'handover',
  description: 'Staff named a different inheritor for an item left open at a term change (重新指定接收人), or one for a flagged item.',
  schema: z.object({
    termId,
    itemKey: itemKeySchema,
    toPersonId: z.uuid().describe('the new inheritor'),
    reassignedOn: z.iso.date().describe('the day'),
    reason: z.string().trim().min(1).max(1000).describe('why'),
  }),
});

export const handoverEvents = [HandoverItemAcknowledged, HandoverItemReassigned] as const;
export type HandoverEvent = EventOf<(typeof handoverEvents)[number]>;
