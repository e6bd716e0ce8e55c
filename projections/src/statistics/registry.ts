/**
 * The county registry: the standing entities the statistics count and the handover hands on —
 * deputy stations (set up, managers, closing), deputies' assignments to stations, and regulations
 * (立、改、废) — as versioned rows (see versions.ts).
 */
import type { Queryable } from '@yingpan/db';
import type { EventOfType } from '@yingpan/domain';
import { defineProjection, READ_WHILE_REBUILDING } from '../engine/projection.ts';
import type { ProjectedEvent } from '../engine/projection.ts';
import { entityVersionsTable, recordChange, recordChanges, type EntityChange } from './versions.ts';

const STATION_EVENTS = [
  'StationEstablished',
  'StationManagerAssigned',
  'StationManagerEnded',
  'StationClosed',
  'DeputyAssignedToStation',
  'DeputyUnassignedFromStation',
] as const;

const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const REGULATION_EVENTS = ['RegulationEnacted', 'RegulationAmended', 'RegulationRepealed'] as const;

/** The entity id of one assignment of a deputy to a station. */
const assignmentId = (stationId: string, personId: string, assignedOn: string) => `${stationId}:${personId}:${assignedOn}`;

async function openAssignment(tx: Queryable, schema: string, stationId: string, personId: string): Promise<string> {
  const { rows } = await tx.query<{ entity_id: string }>(
    `SELECT entity_id FROM ${schema}.entity_versions
      WHERE kind = 'assignment' AND station_id = $1 AND person_id = $2 AND status = 'assigned' AND valid_to_position IS NULL
      ORDER BY status_on DESC LIMIT 1`,
    [stationId, personId],
  );
  if (!rows[0]) throw new Error(`person ${personId} has no open assignment to station ${stationId}`);
  return rows[0].entity_id;
}

type RegistryEvent = ProjectedEvent<EventOfType<(typeof STATION_EVENTS)[number] | (typeof REGULATION_EVENTS)[number]>>;

/** The change an event makes; null for an unassignment, whose assignment is looked up (openAssignment). */
function changeOf({ type, data }: RegistryEvent): EntityChange | null {
  switch (type) {
    case 'StationEstablished':
      return {
        kind: 'station',
        entityId: data.stationId,
        creates: true,
        status: 'open',
        on: data.establishedOn,
        stationId: data.stationId,
        township: data.township,
        data: { name: data.name, type: data.type, establishedOn: data.establishedOn },
      };
    case 'StationManagerAssigned':
      return {
        kind: 'station',
        entityId: data.stationId,
        status: 'open',
        on: data.assignedOn,
        personId: data.managerPersonId,
        mandateId: data.managerMandateId,
        data: { managerSince: data.assignedOn },
      };
    case 'StationManagerEnded':
      // endedOn is the manager's last day: from the next day the station has no manager.
      return {
        kind: 'station',
        entityId: data.stationId,
        status: 'open',
        on: dayAfter(data.endedOn),
        personId: null,
        mandateId: null,
        data: { managerSince: null, managerEndedOn: data.endedOn, managerEndReason: data.reason },
      };
    case 'StationClosed':
      return {
        kind: 'station',
        entityId: data.stationId,
        status: 'closed',
        on: data.closedOn,
        data: { closedOn: data.closedOn, reason: data.reason },
      };
    case 'DeputyAssignedToStation':
      return {
        kind: 'assignment',
        entityId: assignmentId(data.stationId, data.personId, data.assignedOn),
        creates: true,
        status: 'assigned',
        on: data.assignedOn,
        personId: data.personId,
        mandateId: data.mandateId,
        stationId: data.stationId,
        data: { assignedOn: data.assignedOn },
      };
    case 'DeputyUnassignedFromStation':
      return null; // which assignment it ends is read from the table (openAssignment)
    case 'RegulationEnacted':
      return {
        kind: 'regulation',
        entityId: data.regulationId,
        creates: true,
        status: 'enacted',
        on: data.effectiveFrom,
        data: { title: data.title, category: data.category, version: 1, summary: data.summary, scoring: Boolean(data.scoringRules) },
      };
    case 'RegulationAmended':
      return {
        kind: 'regulation',
        entityId: data.regulationId,
        status: 'amended',
        on: data.effectiveFrom,
        data: { version: data.version, changes: data.changes, scoring: Boolean(data.scoringRules) },
      };
    case 'RegulationRepealed':
      return { kind: 'regulation', entityId: data.regulationId, status: 'repealed', on: data.repealedOn, data: { reason: data.reason } };
  }
}

export const countyRegistry = defineProjection({
  name: 'county_registry',
  version: 5,
  handles: [...STATION_EVENTS, ...REGULATION_EVENTS],
  tables: (schema) => `${entityVersionsTable(schema)}
    -- A deputy's open assignment to a station (openAssignment), read at every unassignment.
    CREATE INDEX entity_versions_open_assignment ON ${schema}.entity_versions (station_id, person_id) WHERE kind = 'assignment' AND valid_to_position IS NULL;
    COMMENT ON INDEX ${schema}.entity_versions_open_assignment IS '${READ_WHILE_REBUILDING}';`,
  async apply(tx, schema, event) {
    const change = changeOf(event);
    if (change) return recordChange(tx, schema, event, change);
    const { data } = event as ProjectedEvent<EventOfType<'DeputyUnassignedFromStation'>>;
    return recordChange(tx, schema, event, {
      kind: 'assignment',
      entityId: await openAssignment(tx, schema, data.stationId, data.personId),
      status: 'unassigned',
      on: data.unassignedOn,
      data: { unassignedOn: data.unassignedOn, reason: data.reason },
    });
  },
  /** Changes in three statements a page (recordChanges); an unassignment writes what came before it, then looks its assignment up. */
  async applyBatch(tx, schema, events) {
    let changes: { event: RegistryEvent; change: EntityChange }[] = [];
    for (const event of events) {
      const change = changeOf(event);
      if (change) {
        changes.push({ event, change });
        continue;
      }
      await recordChanges(tx, schema, changes);
      changes = [];
      await countyRegistry.apply(tx, schema, event);
    }
    await recordChanges(tx, schema, changes);
  },
});
