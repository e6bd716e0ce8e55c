import { z } from 'zod';
import { defineCommand } from '../kernel/command.ts';
import { DomainError } from '../kernel/errors.ts';
import { id, reason, streamRef } from '../kernel/schemas.ts';
import type { Lookups } from '../kernel/lookups.ts';
import type { CommandContext } from '../kernel/messages.ts';
import { registry } from '../registry.ts';
import { assertInCharge, stationOfStream } from '../station/in-charge.ts';
import { reviewDecider } from './decider.ts';

const REVIEWERS = ['staff', 'station-manager', 'committee-member', 'admin'] as const;

export const approveRecord = defineCommand({
  name: 'ApproveRecord',
  description: 'Approves a deputy’s declared record (审核通过).',
  roles: REVIEWERS,
  input: z.object({ streamId: streamRef, recordId: id }),
  decider: reviewDecider,
  streamId: (input) => input.streamId,
  toCommand: ({ recordId }) => ({ type: 'ApproveRecord' as const, data: { recordId } }),
});

export const rejectRecord = defineCommand({
  name: 'RejectRecord',
  description: 'Rejects a deputy’s declared record, with a reason (审核不通过).',
  roles: REVIEWERS,
  input: z.object({ streamId: streamRef, recordId: id, reason }),
  decider: reviewDecider,
  streamId: (input) => input.streamId,
  toCommand: ({ recordId, reason }) => ({ type: 'RejectRecord' as const, data: { recordId, reason } }),
});

export const correctRecord = defineCommand({
  name: 'CorrectRecord',
  description: 'Corrects a wrong record; the original stays in the log.',
  roles: ['staff', 'admin'],
  input: z.object({ streamId: streamRef, recordId: id, reason, corrected: z.record(z.string(), z.unknown()) }),
  decider: reviewDecider,
  streamId: (input) => input.streamId,
  async toCommand({ streamId, recordId, reason, corrected }, { lookups }) {
    const { state: records } = await lookups.state(reviewDecider, streamId);
    const record = records.get(recordId);
    if (record) {
      const checked = registry.get(record.type).schema.safeParse(corrected);
      if (!checked.success) {
        throw new DomainError(
          'invalid-correction',
          { zh: `更正内容有误：${checked.error.issues[0]?.message}`, en: `Invalid correction: ${checked.error.issues[0]?.message}` },
          'corrected',
        );
      }
    }
    return { type: 'CorrectRecord' as const, data: { recordId, reason, corrected } };
  },
});

export const retractRecord = defineCommand({
  name: 'RetractRecord',
  description: 'Retracts a record entered in error (撤销); it stays in the log but no longer counts.',
  roles: ['staff', 'admin'],
  input: z.object({ streamId: streamRef, recordId: id, reason }),
  decider: reviewDecider,
  streamId: (input) => input.streamId,
  toCommand: ({ recordId, reason }) => ({ type: 'RetractRecord' as const, data: { recordId, reason } }),
});

/** A record on a station's stream is reviewed by a station manager only at a station they are in charge of. */
async function atTheirStation(input: { streamId: string }, { context, lookups }: { context: CommandContext; lookups: Lookups }): Promise<void> {
  const stationId = stationOfStream(input.streamId);
  if (stationId) await assertInCharge(lookups, context, stationId);
}

export const reviewCommands = [approveRecord, rejectRecord, correctRecord, retractRecord].map((definition) => ({ ...definition, scope: atTheirStation }));
