/**
 * Who acts, in which mandate: shared by the station and opinion commands. Staff record acts
 * (approved on entry); a deputy declares their own (申报, awaiting review).
 */
import { DomainError } from '../kernel/errors.ts';
import type { Lookups } from '../kernel/lookups.ts';
import type { CommandContext } from '../kernel/messages.ts';
import { RECORDING_ROLES, type Role } from '../kernel/roles.ts';
import { actingMandate, type ActingMandate } from '../mandate/acting.ts';
import type { MandateKind } from '../mandate/events.ts';

/**
 * True when the actor declares rather than records: their role is not a recording role. A declaring
 * actor must be the person concerned, else 'not-own-act'.
 */
export function declaredBy(context: CommandContext, personId: string, field = 'personId'): boolean {
  const declared = !RECORDING_ROLES.includes(context.actor.role as Role);
  if (declared && context.actor.personId !== personId) {
    throw new DomainError('not-own-act', { zh: '人大代表只能登记本人的事项', en: 'A deputy may only enter their own acts' }, field);
  }
  return declared;
}

/** `actingMandate`, with its refusal pointed at the input field that names the mandate. */
export async function actingIn(
  lookups: Lookups,
  mandate: { mandateId: string; personId: string; on: string; field: string },
  kinds: readonly MandateKind[] = ['deputy'],
): Promise<ActingMandate> {
  try {
    return await actingMandate(lookups, mandate.mandateId, mandate.personId, mandate.on, kinds);
  } catch (error) {
    if (error instanceof DomainError && error.field === 'mandateId') throw new DomainError(error.code, error.messages, mandate.field);
    throw error;
  }
}
