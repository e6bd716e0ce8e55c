/**
 * A station manager (站点负责人) acts only at the stations they are in charge of: the set-up, the
 * acts and the books of one station, the opinions raised there, and the review of its records.
 * Other roles are not limited here (their role alone decides). The station's stream says who is in
 * charge: the last manager assigned, unless that role ended without a successor.
 */
import type { CommandContext } from '../kernel/messages.ts';
import { DomainError } from '../kernel/errors.ts';
import type { Lookups } from '../kernel/lookups.ts';
import { stationDecider } from './decider.ts';
import { managerInCharge, stationStream } from './state.ts';

/** Refuses a station manager who is not in charge of `stationId` now. */
export async function assertInCharge(lookups: Lookups, context: CommandContext, stationId: string): Promise<void> {
  if (context.actor.role !== 'station-manager') return;
  // Signed in with an account: its grants name the stations (one, or a township's).
  if (context.actor.stationIds !== undefined) {
    if (!context.actor.stationIds.includes(stationId)) throw notInCharge();
    return;
  }
  const { state } = await lookups.state(stationDecider, stationStream(stationId));
  const inCharge = managerInCharge(state);
  if (inCharge?.personId !== context.actor.personId) throw notInCharge();
}

const notInCharge = () =>
  new DomainError(
    'not-in-charge',
    { zh: '站点负责人只能办理本人负责站点的事项', en: 'A station manager may act only at the stations they are in charge of' },
    'stationId',
  );

/** The `scope` of a command whose input names its station (`stationId`; none: not limited). */
export const stationScope = async (input: { stationId?: string }, { context, lookups }: { context: CommandContext; lookups: Lookups }) => {
  if (input.stationId) await assertInCharge(lookups, context, input.stationId);
};

/** The station a stream belongs to, for streams named after one (`station:<id>`); null otherwise. */
export const stationOfStream = (streamId: string): string | null => (streamId.startsWith('station:') ? streamId.slice('station:'.length) : null);
