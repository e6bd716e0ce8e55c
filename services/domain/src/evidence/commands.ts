/**
 * Attaching evidence. The command runs on the bus but is not a generated GraphQL mutation: the
 * API's upload (services/api/src/files-http.ts) first keeps the file in the file store, then runs
 * it with the kept file's hash, so no event names a file the store does not hold.
 */
import { z } from 'zod';
import { defineCommand } from '../kernel/command.ts';
import { DomainError } from '../kernel/errors.ts';
import type { Lookups } from '../kernel/lookups.ts';
import type { CommandContext } from '../kernel/messages.ts';
import { streamRef } from '../kernel/schemas.ts';
import { assertInCharge } from '../station/in-charge.ts';
import { evidenceDecider, subjectKey } from './decider.ts';
import { evidenceFile, evidenceSubject } from './events.ts';

const input = z.object({
  streamId: streamRef.describe('the stream that holds the record, reception (its station’s) or opinion'),
  subject: evidenceSubject,
  file: evidenceFile,
});

/**
 * Who may attach to what: staff to anything; a station manager to what is at a station they are in
 * charge of; a deputy to their own record, a reception they led or were recorded at, an opinion
 * they received.
 */
async function mayAttach({ streamId, subject }: z.output<typeof input>, { context, lookups }: { context: CommandContext; lookups: Lookups }): Promise<void> {
  const role = context.actor.role;
  if (role === 'staff') return;
  const { state } = await lookups.state(evidenceDecider, streamId);
  const found = state.get(subjectKey(subject.kind, subject.id));
  if (!found) return; // the decider answers that it is not there
  if (role === 'station-manager') {
    if (!found.stationId) throw notYours();
    await assertInCharge(lookups, context, found.stationId);
    return;
  }
  if (!found.people.includes(context.actor.personId)) throw notYours();
}

const notYours = () =>
  new DomainError(
    'not-your-record',
    { zh: '只能为本人经办的记录添加佐证材料', en: 'You may attach evidence only to records you took part in or handle' },
    'subject',
  );

export const attachEvidence = defineCommand({
  name: 'AttachEvidence',
  description: 'Attaches an evidence file (佐证材料), already kept in the file store, to a record, a voter reception or an opinion.',
  roles: ['staff', 'station-manager', 'deputy'],
  input,
  decider: evidenceDecider,
  streamId: (input) => input.streamId,
  scope: mayAttach,
  toCommand: ({ subject, file }) => ({ type: 'AttachEvidence' as const, data: { subject, file } }),
});

export const evidenceCommandList = [attachEvidence];
