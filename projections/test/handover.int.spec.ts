/**
 * Term handover on the small demo county (seed 8: it leaves opinions, suggestions and pairings
 * open at the change on 2021-11-19), plus two late entries through the domain so that every
 * inheritance rule is exercised: an opinion received shortly before the close by a deputy who
 * returns to the same station, and a pairing handed over after the close. Every open item at the
 * term change, computed independently with SQL from the log, is in the dossier with the inheritor
 * the rules name, or flagged; a new-term person sees what they inherited; a predecessor's record
 * stays readable; the views of the past see the change as it stood then.
 */
import { randomUUID } from 'node:crypto';
import { everyEngine, type TestDb } from '@yingpan/db/testing';
import { createDomain } from '@yingpan/domain';
import type { SqlEventStore } from '@yingpan/event-store';
import { type CountyDb, openCountyImage } from '../src/testing.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Projector } from '../src/engine/projector.ts';
import {
  countyRegistry,
  directory,
  facts,
  handover,
  handoverDossier,
  inherited,
  mandates,
  predecessorRecord,
  RECORD_EVENTS,
  type AsOf,
  type HandoverDossier,
} from '../src/index.ts';
import { APPROVED_FROM_LOG } from './statistics-log.ts';

/**
 * Open items at the close ($1: the closing day, $2: the closing term) and the inheritor each should
 * get (NULL: flagged), from the log alone.
 */
const OPEN_FROM_LOG = `
  WITH next_manager AS (
    SELECT DISTINCT ON (data->>'stationId') data->>'stationId' AS station_id, data->>'managerPersonId' AS person_id
      FROM yingpan.events WHERE type = 'StationManagerAssigned' AND (data->>'assignedOn')::date > $1::date
     ORDER BY data->>'stationId', (data->>'assignedOn')::date, position),
  returned AS (
    SELECT DISTINCT data->>'personId' AS person_id FROM yingpan.events WHERE type = 'MandateStarted' AND (data->>'startsOn')::date > $1::date),
  opinion_step AS (
    SELECT DISTINCT ON (data->>'opinionId') data->>'opinionId' AS id, type
      FROM yingpan.events
     WHERE type LIKE 'Opinion%'
       AND coalesce(data->>'registeredOn', data->>'referredOn', data->>'answeredOn', data->>'closedOn', data->>'reopenedOn')::date <= $1::date
     ORDER BY data->>'opinionId', position DESC),
  opinions AS (
    SELECT 'opinion:' || s.id AS key,
           coalesce((SELECT a.data->>'personId' FROM yingpan.events a
                      WHERE a.type = 'DeputyAssignedToStation' AND a.data->>'stationId' = r.data->>'stationId'
                        AND a.data->>'personId' = r.data->>'receivedByPersonId' AND (a.data->>'assignedOn')::date > $1::date LIMIT 1),
                    (SELECT n.person_id FROM next_manager n WHERE n.station_id = r.data->>'stationId')) AS inheritor
      FROM opinion_step s JOIN yingpan.events r ON r.type = 'OpinionRegistered' AND r.data->>'opinionId' = s.id
     WHERE s.type <> 'OpinionClosed'),
  suggestions AS (
    SELECT 'suggestion:' || (d.data->>'suggestionId') AS key, (SELECT person_id FROM returned WHERE person_id = d.data->>'leadPersonId') AS inheritor
      FROM yingpan.events d
     WHERE d.type = 'SuggestionDrafted' AND (d.data->>'draftedOn')::date <= $1::date
       AND NOT EXISTS (SELECT 1 FROM yingpan.events x
                        WHERE x.type IN ('SuggestionAnswered', 'SuggestionWithdrawn') AND x.data->>'suggestionId' = d.data->>'suggestionId'
                          AND coalesce(x.data->>'answeredOn', x.data->>'withdrawnOn')::date <= $1::date)),
  mentor AS (
    SELECT DISTINCT ON (id) id, person_id, mandate_id FROM (
      SELECT data->>'pairingId' AS id, data->>'mentorPersonId' AS person_id, data->>'mentorMandateId' AS mandate_id, (data->>'startsOn')::date AS on_date, position
        FROM yingpan.events WHERE type = 'PairingFormed'
      UNION ALL
      SELECT data->>'pairingId', data->>'newMentorPersonId', data->>'newMentorMandateId', (data->>'handedOverOn')::date, position
        FROM yingpan.events WHERE type = 'PairingHandedOver') steps
     WHERE on_date <= $1::date ORDER BY id, position DESC),
  pairings AS (
    SELECT 'pairing:' || m.id AS key,
           coalesce((SELECT h.data->>'newMentorPersonId' FROM yingpan.events h
                      WHERE h.type = 'PairingHandedOver' AND h.data->>'pairingId' = m.id AND (h.data->>'handedOverOn')::date > $1::date
                      ORDER BY h.position LIMIT 1),
                    (SELECT person_id FROM returned WHERE person_id = m.person_id)) AS inheritor
      FROM mentor m JOIN yingpan.events ms ON ms.type = 'MandateStarted' AND ms.data->>'mandateId' = m.mandate_id AND ms.data->>'termId' = $2
     WHERE NOT EXISTS (SELECT 1 FROM yingpan.events x WHERE x.type = 'PairingEnded' AND x.data->>'pairingId' = m.id AND (x.data->>'endedOn')::date <= $1::date)),
  -- Every manager in the demo county holds a mandate of the closing term, so a manager at the close has gone unless they come back.
  stations AS (
    SELECT 'station-duties:' || (s.data->>'stationId') AS key, n.person_id AS inheritor,
           (SELECT m.data->>'managerPersonId' FROM yingpan.events m
             WHERE m.type = 'StationManagerAssigned' AND m.data->>'stationId' = s.data->>'stationId' AND (m.data->>'assignedOn')::date <= $1::date
             ORDER BY m.position DESC LIMIT 1) AS manager
      FROM yingpan.events s LEFT JOIN next_manager n ON n.station_id = s.data->>'stationId'
     WHERE s.type = 'StationEstablished' AND (s.data->>'establishedOn')::date <= $1::date
       AND NOT EXISTS (SELECT 1 FROM yingpan.events x WHERE x.type = 'StationClosed' AND x.data->>'stationId' = s.data->>'stationId' AND (x.data->>'closedOn')::date <= $1::date))
  SELECT key, inheritor FROM opinions
  UNION ALL SELECT key, inheritor FROM suggestions
  UNION ALL SELECT key, inheritor FROM pairings
  UNION ALL SELECT key, inheritor FROM stations WHERE manager IS DISTINCT FROM inheritor
  ORDER BY key`;

/** Entered late (as paper records are): an opinion for a returning deputy, a handover of a pairing whose mentor left. */
async function lateEntries(testDb: TestDb, store: SqlEventStore): Promise<{ lateOpinionKey: string }> {
  const { bus } = createDomain(store);
  const staff = (date: string) => ({ commandId: randomUUID(), actor: { personId: 'county-office', role: 'staff' }, occurredAt: `${date}T02:00:00.000Z` });
  const { rows: returning } = await testDb.db.query<{ person_id: string; station_id: string }>(
    `SELECT a.data->>'personId' AS person_id, a.data->>'stationId' AS station_id
       FROM yingpan.events a JOIN yingpan.events b ON b.type = a.type AND b.data->>'personId' = a.data->>'personId' AND b.data->>'stationId' = a.data->>'stationId'
      WHERE a.type = 'DeputyAssignedToStation' AND a.data->>'assignedOn' <= '2021-11-12' AND b.data->>'assignedOn' > '2021-11-19'
      ORDER BY a.position LIMIT 1`,
  );
  const { person_id: personId, station_id: stationId } = returning[0]!;
  const opinionId = randomUUID();
  await bus.execute(
    'RegisterOpinion',
    {
      opinionId,
      stationId,
      receivedByPersonId: personId,
      voter: { name: '王某' },
      content: '村道路灯损坏',
      category: '道路交通',
      registeredOn: '2021-11-12',
      deadline: '2021-12-12',
    },
    staff('2021-11-12'),
  );
  const { rows: orphans } = await testDb.db.query<{ pairing_id: string; person_id: string; mandate_id: string }>(
    `SELECT f.data->>'pairingId' AS pairing_id, n.data->>'personId' AS person_id, n.data->>'mandateId' AS mandate_id
       FROM yingpan.events f
       JOIN yingpan.events n ON n.type = 'MandateStarted' AND n.data->>'termId' <> f.data->>'termId' AND n.data->>'startsOn' > '2021-11-19'
        AND CASE f.data->>'kind' WHEN 'committee-liaison' THEN n.data->>'kind' = 'committee-member'
                                 ELSE n.data->>'kind' = 'deputy' AND (n.data->>'publicServant')::boolean END
      WHERE f.type = 'PairingFormed' AND f.data->>'startsOn' <= '2021-11-19'
        AND NOT EXISTS (SELECT 1 FROM yingpan.events x WHERE x.type = 'PairingEnded' AND x.data->>'pairingId' = f.data->>'pairingId')
        AND NOT EXISTS (SELECT 1 FROM yingpan.events x WHERE x.type = 'MandateStarted' AND x.data->>'personId' = f.data->>'mentorPersonId' AND x.data->>'startsOn' > '2021-11-19')
      ORDER BY f.position, n.position LIMIT 1`,
  );
  const orphan = orphans[0]!;
  await bus.execute(
    'HandOverPairing',
    {
      pairingId: orphan.pairing_id,
      newMentorPersonId: orphan.person_id,
      newMentorMandateId: orphan.mandate_id,
      handedOverOn: '2021-12-01',
      reason: '原帮带人换届离任',
    },
    staff('2021-12-01'),
  );
  return { lateOpinionKey: `opinion:${opinionId}` };
}

const keys = (dossier: HandoverDossier, filter: (kind: string) => boolean = () => true) =>
  dossier.openItems
    .filter((item) => filter(item.kind))
    .map((item) => item.key)
    .sort();

for (const target of everyEngine) {
  describe.skipIf(target.skipReason !== null)(`term handover on ${target.name}`, () => {
    let testDb: CountyDb;
    let store: SqlEventStore;
    let term: { term_id: string; closed_on: string; position: number };
    let dossier: HandoverDossier;
    let expected: { key: string; inheritor: string | null }[];
    let late: { lateOpinionKey: string };
    const now: AsOf = { view: 'now' };

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      store = testDb.store;
      late = await lateEntries(testDb, store);
      const projector = new Projector(testDb.db, store, [directory, mandates, facts, countyRegistry, handover], { batchSize: 2000 });
      await projector.prepare();
      await projector.catchUp();
      const { rows } = await testDb.db.query<typeof term>(
        `SELECT data->>'termId' AS term_id, data->>'closedOn' AS closed_on, position FROM yingpan.events WHERE type = 'TermClosed'`,
      );
      term = rows[0]!;
      dossier = (await handoverDossier(testDb.db, { termId: term.term_id, asOf: now }))!;
      expected = (await testDb.db.query<{ key: string; inheritor: string | null }>(OPEN_FROM_LOG, [term.closed_on, term.term_id])).rows;
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    it('lists every open item at the change that the log shows, and nothing else', async () => {
      expect(term.closed_on).toBe('2021-11-19');
      for (const kind of ['opinion', 'suggestion', 'pairing', 'station-duties']) {
        expect(expected.filter((row) => row.key.startsWith(`${kind}:`)).length, `open ${kind} items in the demo county`).toBeGreaterThan(0);
      }
      expect(keys(dossier)).toEqual(expected.map((row) => row.key));
    });

    it('gives each item the inheritor the rules name, or flags it with a reason — never drops it', () => {
      const inheritors = Object.fromEntries(dossier.openItems.map((item) => [item.key, item.inheritor?.personId ?? null]));
      expect(inheritors).toEqual(Object.fromEntries(expected.map((row) => [row.key, row.inheritor])));
      for (const item of dossier.openItems) {
        expect(item.flagged).toBe(item.inheritor === null);
        expect(item.reason === null).toBe(!item.flagged);
        if (item.inheritor) expect(item.inheritor.name).toBeTruthy();
      }
      expect(dossier.openItems.some((item) => item.flagged)).toBe(true);
      const rules = new Set(dossier.openItems.map((item) => item.inheritor?.rule));
      for (const rule of ['re-elected-same-station', 'station-manager', 're-elected', 'handed-over']) expect(rules, rule).toContain(rule);
    });

    it('gives each item its history: from the event that created it, its status at the close', () => {
      const creating: Record<string, string> = {
        opinion: 'OpinionRegistered',
        suggestion: 'SuggestionDrafted',
        pairing: 'PairingFormed',
        'station-duties': 'StationEstablished',
      };
      for (const item of dossier.openItems) {
        expect(item.history[0]!.eventType).toBe(creating[item.kind]);
        expect(item.history.map((version) => version.version)).toEqual(item.history.map((_, index) => index + 1));
        const atClose = item.history.filter((version) => version.on <= term.closed_on).at(-1)!;
        expect(atClose.status).toBe(item.statusAtClose);
        expect(item.status).toBe(item.history.at(-1)!.status);
        if (item.kind === 'opinion') expect(item.statusAtClose).not.toBe('closed');
        if (item.kind === 'station-duties') {
          expect(item.relatedKeys.every((key) => keys(dossier).includes(key))).toBe(true);
        }
      }
      // No voter's personal data reaches the handover.
      expect(JSON.stringify(dossier)).not.toMatch(/"voter"|"phone"|"content"/);
    });

    it('covers every seat, station, portfolio and pairing of the term, each with the predecessor’s record', async () => {
      const { rows } = await testDb.db.query<{ seats: number; stations: number; pairings: number; portfolios: string[] }>(
        `SELECT (SELECT count(*)::int FROM yingpan.events WHERE type = 'MandateStarted' AND data->>'termId' = $1) AS seats,
                (SELECT count(*)::int FROM yingpan.events WHERE type = 'StationEstablished') AS stations,
                (SELECT count(*)::int FROM yingpan.events WHERE type = 'PairingFormed' AND data->>'termId' = $1) AS pairings,
                (SELECT array_agg(DISTINCT data->>'portfolio' ORDER BY data->>'portfolio') FROM yingpan.events
                  WHERE type = 'MandateStarted' AND data->>'termId' = $1 AND data->>'portfolio' IS NOT NULL) AS portfolios`,
        [term.term_id],
      );
      const counts = rows[0]!;
      expect(dossier.seats).toHaveLength(counts.seats);
      expect(dossier.stations).toHaveLength(counts.stations);
      expect(dossier.pairings).toHaveLength(counts.pairings);
      expect(dossier.portfolios.map((portfolio) => portfolio.portfolio).sort()).toEqual([...counts.portfolios].sort());
      expect(dossier.seats.filter((seat) => seat.record.length > 0).length).toBeGreaterThan(counts.seats / 2);
      expect(dossier.stations.every((station) => station.record.length > 0)).toBe(true);
      // Each open item sits with its seat (and station) of origin.
      for (const item of dossier.openItems.filter((candidate) => candidate.kind !== 'station-duties' && candidate.predecessor?.mandateId)) {
        const seat = dossier.seats.find((candidate) => candidate.mandateId === item.predecessor!.mandateId);
        if (seat) expect(seat.openItemKeys).toContain(item.key);
      }
      for (const station of dossier.stations) expect(station.managerChanged).toBe(station.openItemKeys.includes(`station-duties:${station.stationId}`));
    });

    it('reads a predecessor’s record for an old mandate, equal to the log', async () => {
      const seat = dossier.seats.filter((candidate) => candidate.kind === 'deputy').sort((a, b) => b.record.length - a.record.length)[0]!;
      const record = (await predecessorRecord(testDb.db, { mandateId: seat.mandateId, asOf: now }))!;
      expect(record.seat.termNumber).toBe(17);
      expect(record.seat.validTo).toBe(term.closed_on);
      const head = (await store.head()).position;
      const { rows } = await testDb.db.query<{ act: string; count: number }>(
        `${APPROVED_FROM_LOG} SELECT act, count(*)::int AS count FROM approved WHERE mandate_id = $3 GROUP BY act ORDER BY act`,
        [RECORD_EVENTS, head, seat.mandateId],
      );
      expect(rows.length).toBeGreaterThan(1);
      expect(record.counts).toEqual(rows);
      expect(record.counts).toEqual(seat.record);
      expect(record.records).toHaveLength(rows.reduce((sum, row) => sum + row.count, 0));
      expect(await predecessorRecord(testDb.db, { mandateId: seat.mandateId, asOf: { view: 'known', position: 0 } })).toBeNull();
    });

    it('shows a new-term person what they inherited, in one query', async () => {
      const counts = new Map<string, number>();
      for (const item of dossier.openItems) if (item.inheritor) counts.set(item.inheritor.personId, (counts.get(item.inheritor.personId) ?? 0) + 1);
      const returning = dossier.openItems.find((item) => item.inheritor?.rule === 're-elected')!.inheritor!.personId;
      const mostInherited = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
      for (const personId of new Set([returning, mostInherited])) {
        const items = await inherited(testDb.db, { personId, asOf: now });
        const theirs = dossier.openItems.filter((item) => item.inheritor?.personId === personId).map((item) => item.key);
        expect(items.map((item) => item.key).sort()).toEqual(theirs.sort());
        expect(items.every((item) => item.term.termId === term.term_id && item.inheritor!.personId === personId)).toBe(true);
      }
      const someoneElse = dossier.seats.find((seat) => !counts.has(seat.person.personId))!.person.personId;
      expect(await inherited(testDb.db, { personId: someoneElse, asOf: now })).toEqual([]);
    });

    it('sees the change as it stood in the past: not before the close; on the closing day, nothing inherited yet', async () => {
      const at = (asOf: AsOf) => handoverDossier(testDb.db, { termId: term.term_id, asOf });
      expect(await at({ view: 'known', position: term.position - 1 })).toBeNull();
      expect(await at({ view: 'happened', date: '2021-11-18' })).toBeNull();
      expect(await at({ view: 'known', position: (await store.head()).position })).toEqual(dossier);
      const notStations = (kind: string) => kind !== 'station-duties';
      const happened = (await at({ view: 'happened', date: term.closed_on }))!;
      const known = (await at({ view: 'known', position: term.position }))!;
      // As it happened, today's knowledge: the same open items, the late-entered opinion included; as it was known
      // when the term closed: that opinion had not been recorded yet, and the pairings the term change ended on the
      // closing day (recorded after the close) were still open.
      const { rows: endedLater } = await testDb.db.query<{ key: string }>(
        `SELECT 'pairing:' || (data->>'pairingId') AS key FROM yingpan.events
          WHERE type = 'PairingEnded' AND (data->>'endedOn')::date <= $1::date AND position > $2`,
        [term.closed_on, term.position],
      );
      expect(keys(happened, notStations)).toEqual(keys(dossier, notStations));
      expect(keys(known, notStations)).toEqual(
        [...keys(dossier, notStations).filter((key) => key !== late.lateOpinionKey), ...endedLater.map((row) => row.key)].sort(),
      );
      for (const then of [happened, known]) {
        expect(then.nextTerm).toBeNull();
        // No successor is known yet, so every station whose manager's mandate ended is open too …
        expect(keys(then, (kind) => kind === 'station-duties')).toEqual(expect.arrayContaining(keys(dossier, (kind) => kind === 'station-duties')));
        // … and nobody has inherited anything yet.
        expect(then.openItems.every((item) => item.flagged && item.inheritor === null)).toBe(true);
      }
      const heir = dossier.openItems.find((item) => item.inheritor)!.inheritor!.personId;
      expect(await inherited(testDb.db, { personId: heir, asOf: { view: 'happened', date: term.closed_on } })).toEqual([]);
      expect((await inherited(testDb.db, { personId: heir, asOf: { view: 'happened', date: '2021-12-31' } })).length).toBeGreaterThan(0);
    });
  });
}
