/**
 * The review queue's logic: the declarations the API lists as awaiting review (`pendingRecords`,
 * each with the stream it lives in) and the command a decision sends (ApproveRecord and
 * RejectRecord name the stream; the API says which, so nothing here guesses it).
 */
import type { EvidenceFile } from '$lib/evidence/evidence';
import { command, type CommandPlan } from '$lib/forms/command';
import { graphql } from '$lib/gql';

const ApproveRecordCommand = graphql(`
  mutation ApproveRecordCommand($input: ApproveRecordInput!) {
    result: approveRecord(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const RejectRecordCommand = graphql(`
  mutation RejectRecordCommand($input: RejectRecordInput!) {
    result: rejectRecord(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

/** A pending record as `pendingRecords` serves it. */
export interface PendingNode {
  recordId: string;
  streamId: string;
  act: string;
  personId: string;
  person?: { name: string } | null;
  date: string;
  summary?: string | null;
  stationId?: string | null;
  evidence?: readonly EvidenceFile[] | null;
}

/** A row of the queue. */
export interface PendingRecord {
  recordId: string;
  streamId: string;
  act: string;
  personId: string;
  name: string | null;
  date: string;
  summary: string | null;
  stationId: string | null;
  /** Its evidence files (佐证材料); null: not for this reader. */
  evidence: readonly EvidenceFile[] | null;
}

/** The queue's rows from the API's pages: each record once, in the API's order (newest act first). */
export function queueRows(nodes: readonly PendingNode[]): PendingRecord[] {
  const seen = new Set<string>();
  const rows: PendingRecord[] = [];
  for (const node of nodes) {
    if (seen.has(node.recordId)) continue;
    seen.add(node.recordId);
    rows.push({
      recordId: node.recordId,
      streamId: node.streamId,
      act: node.act,
      personId: node.personId,
      name: node.person?.name ?? null,
      date: node.date,
      summary: node.summary ?? null,
      stationId: node.stationId ?? null,
      evidence: node.evidence ?? null,
    });
  }
  return rows;
}

export type Decision = 'approve' | 'reject';

/** The command a decision on a record sends (a rejection states its reason). */
export function decisionPlan(record: Pick<PendingRecord, 'streamId' | 'recordId'>, decision: Decision, reason = ''): CommandPlan {
  const { streamId, recordId } = record;
  return decision === 'approve'
    ? command(ApproveRecordCommand, { streamId, recordId })
    : command(RejectRecordCommand, { streamId, recordId, reason: reason.trim() });
}

/**
 * How many records still await review: the API's count (every page) less those decided on this
 * page since it was loaded (the count is refreshed only with the list).
 */
export function stillPending(total: number | null, loaded: number, decided: number): number {
  return Math.max(0, (total ?? loaded) - decided);
}
