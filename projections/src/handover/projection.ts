/**
 * The sources of open items at a term change (换届交接), as versioned rows (statistics/versions.ts):
 *
 *   - opinion:    registered → referred → answered → closed (→ reopened …); the receiving deputy
 *                 and mandate, the station. Never the voter or the opinion's wording.
 *   - suggestion: drafted → submitted → assigned → answered → rated, or withdrawn; the lead deputy
 *                 and mandate.
 *   - pairing:    active (mentor and mandate, mentees; a handover changes the mentor; a term change
 *                 carries it over to the new mandates, or leaves the mentor's post vacant) → ended.
 *
 *   - actions:    what people did about an item after the close: an inheritor acknowledged it,
 *                 staff reassigned it (handover:<termId> streams), one row per event.
 *
 * Stations, their managers and deputies' assignments are in the county registry
 * (statistics/registry.ts); mandates in rm_mandates; the predecessors' records in rm_facts.
 */
import type { HandoverEvent, OpinionEvent, PairingOwnEvent, SuggestionEvent } from '@yingpan/domain';
import type { Queryable } from '@yingpan/db';
import { defineProjection, type ProjectedEvent } from '../engine/projection.ts';
import { entityVersionsTable, recordChange, recordChanges, type EntityChange } from '../statistics/versions.ts';

const OPINION_EVENTS = ['OpinionRegistered', 'OpinionReferred', 'OpinionAnswered', 'OpinionClosed', 'OpinionReopened'] as const;
const SUGGESTION_EVENTS = [
  'SuggestionDrafted',
  'SuggestionSubmitted',
  'SuggestionAssigned',
  'SuggestionAnswered',
  'SuggestionRated',
  'SuggestionWithdrawn',
] as const;
const PAIRING_EVENTS = ['PairingFormed', 'PairingHandedOver', 'PairingCarriedOver', 'PairingEnded'] as const;
const ACTION_EVENTS = ['HandoverItemAcknowledged', 'HandoverItemReassigned'] as const;

const actionsTable = (schema: string) => `
  CREATE TABLE ${schema}.actions (
    position    bigint      PRIMARY KEY,
    recorded_at timestamptz NOT NULL,
    term_id     uuid        NOT NULL,   -- the term at whose close the item was left open
    item_key    text        NOT NULL,   -- <kind>:<id>
    action      text        NOT NULL,   -- acknowledged | reassigned
    person_id   uuid        NOT NULL,   -- who acknowledged, or the new inheritor
    on_date     date        NOT NULL,
    note        text                    -- the acknowledgement's note or the reassignment's reason
  );
  CREATE INDEX ON ${schema}.actions (term_id, item_key);`;

const isAction = <E extends { type: string }>(event: E): event is Extract<E, HandoverEvent> => (ACTION_EVENTS as readonly string[]).includes(event.type);

async function recordAction(tx: Queryable, schema: string, event: ProjectedEvent<HandoverEvent>): Promise<void> {
  const { type, data } = event;
  const [action, personId, on, note] =
    type === 'HandoverItemAcknowledged'
      ? ['acknowledged', data.personId, data.acknowledgedOn, data.note]
      : ['reassigned', data.toPersonId, data.reassignedOn, data.reason];
  await tx.query(
    `INSERT INTO ${schema}.actions (position, recorded_at, term_id, item_key, action, person_id, on_date, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [event.position, event.metadata.recordedAt, data.termId, data.itemKey, action, personId, on, note],
  );
}

type ItemEvent = OpinionEvent | SuggestionEvent | PairingOwnEvent;

/** The change an event makes to its opinion, suggestion or pairing. */
function changeOf({ type, data }: ItemEvent): EntityChange {
  switch (type) {
    case 'OpinionRegistered':
      return {
        kind: 'opinion',
        entityId: data.opinionId,
        creates: true,
        status: 'registered',
        on: data.registeredOn,
        personId: data.receivedByPersonId,
        mandateId: data.receivedByMandateId,
        stationId: data.stationId,
        data: { category: data.category, receptionId: data.receptionId, registeredOn: data.registeredOn, deadline: data.deadline },
      };
    case 'OpinionReferred':
      return { kind: 'opinion', entityId: data.opinionId, status: 'referred', on: data.referredOn, data: { agency: data.agency, deadline: data.deadline } };
    case 'OpinionAnswered':
      return { kind: 'opinion', entityId: data.opinionId, status: 'answered', on: data.answeredOn, data: { agency: data.agency } };
    case 'OpinionClosed':
      return { kind: 'opinion', entityId: data.opinionId, status: 'closed', on: data.closedOn, data: { satisfaction: data.satisfaction } };
    case 'OpinionReopened':
      return { kind: 'opinion', entityId: data.opinionId, status: 'reopened', on: data.reopenedOn, data: { deadline: data.deadline, satisfaction: null } };
    case 'SuggestionDrafted':
      return {
        kind: 'suggestion',
        entityId: data.suggestionId,
        creates: true,
        status: 'drafted',
        on: data.draftedOn,
        personId: data.leadPersonId,
        mandateId: data.leadMandateId,
        data: { kind: data.kind, title: data.title, draftedOn: data.draftedOn },
      };
    case 'SuggestionSubmitted':
      return {
        kind: 'suggestion',
        entityId: data.suggestionId,
        status: 'submitted',
        on: data.date,
        data: { recordId: data.recordId, coSigners: data.coSigners },
      };
    case 'SuggestionAssigned':
      return {
        kind: 'suggestion',
        entityId: data.suggestionId,
        status: 'assigned',
        on: data.assignedOn,
        data: { agency: data.agency, deadline: data.deadline },
      };
    case 'SuggestionAnswered':
      return { kind: 'suggestion', entityId: data.suggestionId, status: 'answered', on: data.answeredOn, data: { outcome: data.outcome } };
    case 'SuggestionRated':
      return { kind: 'suggestion', entityId: data.suggestionId, status: 'rated', on: data.ratedOn, data: { rating: data.rating } };
    case 'SuggestionWithdrawn':
      return { kind: 'suggestion', entityId: data.suggestionId, status: 'withdrawn', on: data.withdrawnOn, data: { reason: data.reason } };
    case 'PairingFormed':
      return {
        kind: 'pairing',
        entityId: data.pairingId,
        creates: true,
        status: 'active',
        on: data.startsOn,
        personId: data.mentorPersonId,
        mandateId: data.mentorMandateId,
        data: { kind: data.kind, termId: data.termId, mentees: data.mentees, startsOn: data.startsOn },
      };
    case 'PairingHandedOver':
      return {
        kind: 'pairing',
        entityId: data.pairingId,
        status: 'active',
        on: data.handedOverOn,
        personId: data.newMentorPersonId,
        mandateId: data.newMentorMandateId,
        data: { previousMentorPersonId: data.previousMentorPersonId, reason: data.reason },
      };
    case 'PairingCarriedOver':
      // Without a re-elected mentor the post is vacant (status mentor-vacant, nobody responsible) until a handover.
      return {
        kind: 'pairing',
        entityId: data.pairingId,
        status: data.mentorMandateId ? 'active' : 'mentor-vacant',
        on: data.carriedOverOn,
        ...(data.mentorMandateId ? { mandateId: data.mentorMandateId } : { personId: null, mandateId: null }),
        data: { mentees: data.mentees, leftPersonIds: data.leftPersonIds, carriedOverOn: data.carriedOverOn },
      };
    case 'PairingEnded':
      return { kind: 'pairing', entityId: data.pairingId, status: 'ended', on: data.endedOn, data: { endedOn: data.endedOn, reason: data.reason } };
    case 'PairingActivityRecorded':
      throw new Error('handover does not handle PairingActivityRecorded');
  }
}

export const handover = defineProjection({
  name: 'handover',
  version: 4,
  handles: [...OPINION_EVENTS, ...SUGGESTION_EVENTS, ...PAIRING_EVENTS, ...ACTION_EVENTS],
  tables: (schema) => `${entityVersionsTable(schema)} ${actionsTable(schema)}`,
  /** Item changes in three statements a page (statistics/versions.ts); actions are few, one by one. */
  async applyBatch(tx, schema, events) {
    const changes = [];
    for (const event of events) {
      if (isAction(event)) await recordAction(tx, schema, event);
      else changes.push({ event, change: changeOf(event) });
    }
    await recordChanges(tx, schema, changes);
  },
  async apply(tx, schema, event) {
    if (isAction(event)) return recordAction(tx, schema, event);
    await recordChange(tx, schema, event, changeOf(event));
  },
});
