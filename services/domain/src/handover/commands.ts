import { z } from 'zod';
import { defineCommand } from '../kernel/command.ts';
import { DomainError } from '../kernel/errors.ts';
import type { CommandContext } from '../kernel/messages.ts';
import { id, isoDate, reason, text } from '../kernel/schemas.ts';
import type { Lookups } from '../kernel/lookups.ts';
import type { Role } from '../kernel/roles.ts';
import { termDecider, termStream } from '../mandate/decider.ts';
import { personStream } from '../person/decider.ts';
import { handoverDecider, handoverStream } from './decider.ts';
import { itemKeySchema } from './events.ts';

/** Roles that act as themselves: they acknowledge only items they inherited. */
const ACTING_AS_THEMSELVES: readonly Role[] = ['deputy', 'station-manager', 'committee-member'];

const checks = async (lookups: Lookups, termId: string, personId: string) => {
  const [{ state: term }, personKnown] = await Promise.all([lookups.state(termDecider, termStream(termId)), lookups.exists(personStream(personId))]);
  return { term, personKnown };
};

function assertOwnItem(context: CommandContext, personId: string) {
  if (ACTING_AS_THEMSELVES.includes(context.actor.role as Role) && context.actor.personId !== personId) {
    throw new DomainError('not-own-item', { zh: '只能确认本人接收的事项', en: 'You can only acknowledge items you inherited' }, 'personId');
  }
}

export const acknowledgeHandoverItem = defineCommand({
  name: 'AcknowledgeHandoverItem',
  description: 'The inheritor of an item left open at a term change acknowledges taking it on (交接确认); staff may record it for them.',
  roles: ['deputy', 'station-manager', 'committee-member', 'staff', 'admin'],
  input: z.object({ termId: id, itemKey: itemKeySchema, personId: id, acknowledgedOn: isoDate, note: text(1000).nullable().default(null) }),
  decider: handoverDecider,
  streamId: (input) => handoverStream(input.termId),
  async toCommand(data, { context, lookups }) {
    assertOwnItem(context, data.personId);
    return { type: 'AcknowledgeHandoverItem' as const, data: { ...data, ...(await checks(lookups, data.termId, data.personId)) } };
  },
});

export const reassignHandoverItem = defineCommand({
  name: 'ReassignHandoverItem',
  description: 'Staff name a different inheritor for an item left open at a term change, or one for a flagged item (重新指定接收人).',
  roles: ['staff', 'admin'],
  input: z.object({ termId: id, itemKey: itemKeySchema, toPersonId: id, reassignedOn: isoDate, reason }),
  decider: handoverDecider,
  streamId: (input) => handoverStream(input.termId),
  async toCommand(data, { lookups }) {
    return { type: 'ReassignHandoverItem' as const, data: { ...data, ...(await checks(lookups, data.termId, data.toPersonId)) } };
  },
});

export const handoverCommands = [acknowledgeHandoverItem, reassignHandoverItem];
