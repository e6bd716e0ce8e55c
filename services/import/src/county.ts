/**
 * What the county already holds, as the import needs it: terms, stations, people by name with
 * their mandates, and whether a stream exists. Read from the read models (and the log for
 * existence), so a file can refer to people registered before it.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '@yingpan/db';
import type { MandateKind } from '@yingpan/domain';
import { type EventStore, SqlEventStore } from '@yingpan/event-store';
import { directory, mandates, schemaOf, stations } from '@yingpan/projections';

export interface KnownMandate {
  mandateId: string;
  personId: string;
  termNumber: number;
  kind: MandateKind;
  township: string | null;
  startsOn: string;
  /** Its last valid day; null while it runs. */
  validTo: string | null;
}

export interface KnownPerson {
  personId: string;
  name: string;
  /** Set for people of the file: what tells namesakes apart. */
  birthYear?: number;
  mandates: KnownMandate[];
}

export interface KnownTerm {
  termId: string;
  number: number;
  startsOn: string;
  plannedEndOn: string;
  closedOn: string | null;
}

export interface KnownStation {
  stationId: string;
  name: string;
  township: string;
}

export interface CountyView {
  terms: KnownTerm[];
  stations: KnownStation[];
  peopleNamed(names: readonly string[]): Promise<Map<string, KnownPerson[]>>;
  exists(streamId: string): Promise<boolean>;
  /** The commands a file (by its SHA-256) has already run here: importing it again skips them. */
  commandsOfFile?(sha256: string): Promise<ReadonlySet<string>>;
}

/** A name-based UUID (version 5 layout) from its parts: the same parts give the same id in every county. */
export function derivedId(...parts: (string | number)[]): string {
  const bytes = createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const day = (value: unknown): string | null =>
  value === null || value === undefined ? null : value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);

/** The county as the read models and the log show it now. */
export async function countyView(db: Queryable, store: EventStore): Promise<CountyView> {
  const terms = await db.query<{ termId: string; number: number; startsOn: unknown; plannedEndOn: unknown; closedOn: unknown }>(
    `SELECT term_id AS "termId", number, starts_on::text AS "startsOn", planned_end_on::text AS "plannedEndOn", closed_on::text AS "closedOn"
       FROM ${schemaOf(mandates)}.terms ORDER BY number`,
  );
  const stationRows = await db.query<KnownStation>(
    `SELECT DISTINCT ON (station_id) station_id AS "stationId", name, township FROM ${schemaOf(stations)}.stations ORDER BY station_id, version DESC`,
  );
  return {
    terms: terms.rows.map((term) => ({ ...term, startsOn: day(term.startsOn)!, plannedEndOn: day(term.plannedEndOn)!, closedOn: day(term.closedOn) })),
    stations: stationRows.rows,
    async commandsOfFile(sha256) {
      // The SQL log only (a KurrentDB log has no table here): without it, the bus finds each duplicate itself.
      if (!(store instanceof SqlEventStore)) return new Set();
      const { rows } = await db.query<{ commandId: string }>(
        `SELECT DISTINCT metadata->>'commandId' AS "commandId" FROM yingpan.events WHERE metadata->'source'->>'sha256' = $1`,
        [sha256],
      );
      return new Set(rows.map((row) => row.commandId));
    },
    async peopleNamed(names) {
      const wanted = [...new Set(names)];
      const byName = new Map<string, KnownPerson[]>(wanted.map((name) => [name, []]));
      if (wanted.length === 0) return byName;
      const { rows } = await db.query<{
        personId: string;
        name: string;
        mandateId: string | null;
        termNumber: number | null;
        kind: MandateKind | null;
        township: string | null;
        startsOn: unknown;
        validTo: unknown;
      }>(
        `SELECT p.person_id AS "personId", p.name, m.mandate_id AS "mandateId", m.term_number AS "termNumber", m.kind, m.township,
                m.starts_on::text AS "startsOn", m.valid_to::text AS "validTo"
           FROM ${schemaOf(directory)}.people p LEFT JOIN ${schemaOf(mandates)}.mandate_spans m USING (person_id)
          WHERE p.name = ANY($1::text[]) ORDER BY p.person_id, m.starts_on`,
        [wanted],
      );
      const people = new Map<string, KnownPerson>();
      for (const row of rows) {
        let person = people.get(row.personId);
        if (!person) {
          person = { personId: row.personId, name: row.name, mandates: [] };
          people.set(row.personId, person);
          byName.get(row.name)?.push(person);
        }
        if (row.mandateId && row.kind && row.termNumber !== null) {
          person.mandates.push({
            mandateId: row.mandateId,
            personId: row.personId,
            termNumber: row.termNumber,
            kind: row.kind,
            township: row.township,
            startsOn: day(row.startsOn)!,
            validTo: day(row.validTo),
          });
        }
      }
      return byName;
    },
    async exists(streamId) {
      return (await store.readStream(streamId, { toVersion: 1 })).length > 0;
    },
  };
}
