/**
 * The station books (一册六簿) and "月进站、季回家、年述职" compliance on the small demo county,
 * checked against counts taken directly from the log with SQL, in the present and in both views
 * of the past.
 */
import { everyEngine } from '@yingpan/db/testing';
import type { SqlEventStore } from '@yingpan/event-store';
import { type CountyDb, openCountyImage } from '../src/testing.ts';
import { isStudyVisit } from '@yingpan/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Projector } from '../src/engine/projector.ts';
import { compliance, directory, facts, mandates, stationBooks, stationList, stations, type AsOf, type StationSummary } from '../src/index.ts';

const NOW = { view: 'now' } as const;
const TERM_CHANGE = '2021-11-19';

/** Approved station visits per person and month, from the raw log (corrections applied). */
const VISITS_FROM_LOG = `
  WITH visits AS (
    SELECT e.data->>'recordId' AS record_id, e.data->>'personId' AS person_id, (e.data->>'declared')::boolean AS declared,
           coalesce((SELECT c.data->'corrected'->>'date' FROM yingpan.events c
                      WHERE c.type = 'RecordCorrected' AND c.data->>'recordId' = e.data->>'recordId' ORDER BY c.position DESC LIMIT 1),
                    e.data->>'date') AS date
      FROM yingpan.events e WHERE e.type = 'StationVisitRecorded'),
  last_review AS (
    SELECT DISTINCT ON (data->>'recordId') data->>'recordId' AS record_id, type
      FROM yingpan.events WHERE type IN ('RecordApproved', 'RecordRejected', 'RecordRetracted')
     ORDER BY data->>'recordId', position DESC)
  SELECT DISTINCT v.person_id || ' ' || substr(v.date, 1, 7) AS key
    FROM visits v LEFT JOIN last_review r USING (record_id)
   WHERE coalesce(r.type, CASE WHEN v.declared THEN 'pending' ELSE 'RecordApproved' END) = 'RecordApproved'`;

for (const target of everyEngine) {
  describe.skipIf(target.skipReason !== null)(`station books on ${target.name}`, () => {
    let testDb: CountyDb;
    let store: SqlEventStore;
    let list: StationSummary[];
    const sql = async <R>(text: string, params: unknown[] = []) => (await testDb.db.query<R>(text, params)).rows;

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      store = testDb.store;
      const projector = new Projector(testDb.db, store, [directory, mandates, facts, stations], { batchSize: 2000 });
      await projector.prepare();
      await projector.catchUp();
      list = await stationList(testDb.db, { asOf: NOW });
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    it('lists every station, by township, with its reception and opinion counts as the log has them', async () => {
      const logged = await sql<{ station_id: string; receptions: number; opinions: number }>(
        `SELECT data->>'stationId' AS station_id,
                count(*) FILTER (WHERE type = 'VoterReceptionHeld')::int AS receptions,
                count(*) FILTER (WHERE type = 'OpinionRegistered')::int AS opinions
           FROM yingpan.events WHERE type IN ('StationEstablished', 'VoterReceptionHeld', 'OpinionRegistered') GROUP BY 1 ORDER BY 1`,
      );
      expect(logged).toHaveLength(6);
      expect(
        list
          .map((s) => ({ station_id: s.stationId, receptions: s.counts.receptions, opinions: s.counts.opinions }))
          .sort((a, b) => a.station_id.localeCompare(b.station_id)),
      ).toEqual(logged);
      const township = list[0]!.township;
      const local = await stationList(testDb.db, { township, asOf: NOW });
      expect(local.length).toBe(2);
      expect(local.every((s) => s.township === township)).toBe(true);
      expect(list.every((s) => s.manager !== null && s.counts.deputies > 0)).toBe(true);
    });

    it('fills the reception and opinion books with exactly the receptions and opinions logged for the station', async () => {
      for (const { stationId } of list) {
        const books = (await stationBooks(testDb.db, { stationId, asOf: NOW }))!;
        const [receptions] = await sql<{ n: number; voters: number }>(
          `SELECT count(*)::int AS n, coalesce(sum((data->>'votersReceived')::int), 0)::int AS voters
             FROM yingpan.events WHERE type = 'VoterReceptionHeld' AND data->>'stationId' = $1`,
          [stationId],
        );
        const opinions = await sql<{ id: string }>(
          `SELECT data->>'opinionId' AS id FROM yingpan.events WHERE type = 'OpinionRegistered' AND data->>'stationId' = $1 ORDER BY 1`,
          [stationId],
        );
        expect(books.receptions.length).toBe(receptions!.n);
        expect(books.receptions.reduce((sum, r) => sum + r.votersReceived, 0)).toBe(receptions!.voters);
        expect(books.opinions.map((o) => o.opinionId).sort()).toEqual(opinions.map((o) => o.id));
        expect(books.handling.map((h) => h.opinionId)).toEqual(books.opinions.map((o) => o.opinionId));
        // Every reception lists its deputies, the roster spans both terms, and the other books are filled.
        expect(books.receptions.every((r) => r.deputies.length > 0)).toBe(true);
        expect(new Set(books.roster.map((r) => r.termNumber))).toEqual(new Set([17, 18]));
        expect(books.roster.every((r) => r.level !== null && r.name !== null)).toBe(true);
        expect(books.activities.length).toBeGreaterThan(0);
        expect(books.study.some((s) => s.act === 'training')).toBe(true);
        // The study visits are the station visits the domain's rule calls so, and only those.
        const visits = books.activities.filter((a) => a.act === 'station-visit');
        expect(books.study.filter((s) => s.act === 'station-visit').map((s) => s.recordId)).toEqual(
          visits.filter((v) => isStudyVisit({ act: v.act, summary: v.summary })).map((v) => v.recordId),
        );
        expect(books.study.some((s) => s.act === 'station-visit')).toBe(true);
        expect(books.duty.map((d) => d.personId).sort()).toEqual([...new Set(books.roster.map((r) => r.personId))].sort());
        expect(books.station.managers.length).toBe(2);
      }
    });

    it('keeps voters’ personal data out of the books unless it is asked for', async () => {
      const stationId = list.find((s) => s.counts.opinions > 0)!.stationId;
      const [voter] = await sql<{ name: string; content: string }>(
        `SELECT data->'voter'->>'name' AS name, data->>'content' AS content FROM yingpan.events
          WHERE type = 'OpinionRegistered' AND data->>'stationId' = $1 LIMIT 1`,
        [stationId],
      );
      const publicBooks = (await stationBooks(testDb.db, { stationId, asOf: NOW }))!;
      expect(publicBooks.opinions.every((o) => o.personal === null)).toBe(true);
      expect(JSON.stringify(publicBooks)).not.toContain(voter!.name);
      const privateBooks = (await stationBooks(testDb.db, { stationId, asOf: NOW, personalData: true }))!;
      expect(privateBooks.opinions.map((o) => o.personal?.voterName)).toContain(voter!.name);
      expect(privateBooks.opinions.map((o) => o.personal?.content)).toContain(voter!.content);
    });

    it('hides a reception from a date or log position before it was held or recorded', async () => {
      const [reception] = await sql<{ station_id: string; reception_id: string; date: string; position: number }>(
        `SELECT data->>'stationId' AS station_id, data->>'receptionId' AS reception_id, data->>'date' AS date, position
           FROM yingpan.events WHERE type = 'VoterReceptionHeld' AND data->>'date' > '2019-01-01' ORDER BY position LIMIT 1`,
      );
      const { station_id: stationId, reception_id: receptionId, date, position } = reception!;
      const shown = async (asOf: AsOf) =>
        // The period reaches past the reception, so only the view can hide it.
        (await stationBooks(testDb.db, { stationId, asOf, to: '2099-12-31' }))!.receptions.some((r) => r.receptionId === receptionId);
      const dayBefore = new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      expect(await shown({ view: 'happened', date })).toBe(true);
      expect(await shown({ view: 'happened', date: dayBefore })).toBe(false);
      expect(await shown({ view: 'known', position })).toBe(true);
      expect(await shown({ view: 'known', position: position - 1 })).toBe(false);
    });

    it('shows the opinions open at the term change as open when asked as it happened that day', async () => {
      const expected = await sql<{ id: string; station_id: string; open: boolean; closed_now: boolean }>(
        `SELECT r.data->>'opinionId' AS id, r.data->>'stationId' AS station_id,
                NOT EXISTS (SELECT 1 FROM yingpan.events c WHERE c.type = 'OpinionClosed' AND c.data->>'opinionId' = r.data->>'opinionId'
                                                            AND c.data->>'closedOn' <= $1) AS open,
                EXISTS (SELECT 1 FROM yingpan.events c WHERE c.type = 'OpinionClosed' AND c.data->>'opinionId' = r.data->>'opinionId') AS closed_now
           FROM yingpan.events r WHERE r.type = 'OpinionRegistered' AND r.data->>'registeredOn' <= $1 ORDER BY 1`,
        [TERM_CHANGE],
      );
      expect(expected.filter((o) => o.open).length).toBeGreaterThan(0);
      const seen: Array<{ id: string; station_id: string; open: boolean; closed_now: boolean }> = [];
      const asOf = { view: 'happened', date: TERM_CHANGE } as const;
      for (const { stationId } of list) {
        const books = (await stationBooks(testDb.db, { stationId, asOf }))!;
        expect(books.to).toBe(TERM_CHANGE);
        const now = new Map((await stationBooks(testDb.db, { stationId, asOf: NOW }))!.opinions.map((o) => [o.opinionId, o.status]));
        for (const opinion of books.opinions) {
          seen.push({ id: opinion.opinionId, station_id: stationId, open: opinion.status !== 'closed', closed_now: now.get(opinion.opinionId) === 'closed' });
        }
        // An open opinion past its deadline on the day is flagged overdue in the handling book.
        for (const entry of books.handling) {
          expect(entry.overdue).toBe(entry.status !== 'closed' && entry.status !== 'answered' && entry.deadline < TERM_CHANGE);
          expect(entry.steps.every((step) => step.on <= TERM_CHANGE)).toBe(true);
        }
        expect(books.handling.filter((h) => h.status !== 'closed').length).toBe(books.station.counts.openOpinions);
      }
      expect(seen.sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected);
    });

    it('shows a closed opinion as still open on the day it was registered, and as known before its closing was recorded', async () => {
      const [closed] = await sql<{ id: string; station_id: string; registered_on: string; closed_at: number }>(
        `SELECT r.data->>'opinionId' AS id, r.data->>'stationId' AS station_id, r.data->>'registeredOn' AS registered_on, c.position AS closed_at
           FROM yingpan.events r JOIN yingpan.events c ON c.type = 'OpinionClosed' AND c.data->>'opinionId' = r.data->>'opinionId'
          WHERE r.type = 'OpinionRegistered' AND c.data->>'closedOn' > r.data->>'registeredOn' ORDER BY r.position LIMIT 1`,
      );
      const status = async (asOf: AsOf) =>
        (await stationBooks(testDb.db, { stationId: closed!.station_id, asOf }))!.opinions.find((o) => o.opinionId === closed!.id)?.status;
      expect(await status(NOW)).toBe('closed');
      expect(await status({ view: 'happened', date: closed!.registered_on })).toBe('registered');
      expect(await status({ view: 'known', position: closed!.closed_at - 1 })).toBe('answered');
      expect(await status({ view: 'known', position: closed!.closed_at })).toBe('closed');
    });

    it('marks a month met for a deputy with an approved station visit in it and lists the others as missing', async () => {
      const visited = new Set((await sql<{ key: string }>(VISITS_FROM_LOG)).map((row) => row.key));
      const stationId = list[0]!.stationId;
      const report = await compliance(testDb.db, { stationId, year: 2019, asOf: NOW });
      const assigned = await sql<{ person_id: string }>(
        `SELECT DISTINCT a.data->>'personId' AS person_id
           FROM yingpan.events a LEFT JOIN yingpan.events u ON u.type = 'DeputyUnassignedFromStation' AND u.data->>'stationId' = a.data->>'stationId'
                                                           AND u.data->>'personId' = a.data->>'personId' AND u.position > a.position
          WHERE a.type = 'DeputyAssignedToStation' AND a.data->>'stationId' = $1 AND a.data->>'assignedOn' <= '2019-12-31'
            AND (u.data->>'unassignedOn' IS NULL OR u.data->>'unassignedOn' >= '2019-01-01')
          ORDER BY 1`,
        [stationId],
      );
      expect(report.deputies.map((d) => d.personId).sort()).toEqual(assigned.map((row) => row.person_id));
      let met = 0;
      let missed = 0;
      for (const deputy of report.deputies) {
        for (const cell of deputy.cells.filter((c) => c.act === 'station-visit')) {
          const logged = visited.has(`${deputy.personId} ${cell.period}`);
          expect(cell.status === 'met', `${deputy.name} ${cell.period}`).toBe(logged);
          const period = report.periods.find((p) => p.act === 'station-visit' && p.period === cell.period)!;
          if (cell.status === 'met') {
            met += 1;
            expect(period.met.map((p) => p.personId)).toContain(deputy.personId);
          } else if (cell.required) {
            missed += 1;
            expect(cell.status).toBe('missed');
            expect(period.missed.map((p) => p.personId)).toContain(deputy.personId);
          }
        }
      }
      expect(report.deputies.some((d) => d.cells.filter((c) => c.act === 'station-visit' && c.required).length === 12)).toBe(true);
      expect(met).toBeGreaterThan(0);
      expect(missed).toBeGreaterThan(0);
    });

    it('does not count a period in which the deputy was not assigned as missed (the term change)', async () => {
      const stationId = list[0]!.stationId;
      const report = await compliance(testDb.db, { stationId, year: 2021, asOf: NOW });
      const spans = await sql<{ person_id: string; first: string; stays: boolean }>(
        `SELECT data->>'personId' AS person_id, min(data->>'assignedOn') AS first, bool_or(data->>'assignedOn' > $2) AS stays
           FROM yingpan.events WHERE type = 'DeputyAssignedToStation' AND data->>'stationId' = $1 GROUP BY 1`,
        [stationId, TERM_CHANGE],
      );
      const span = (personId: string) => spans.find((s) => s.person_id === personId)!;
      const leavers = report.deputies.filter((d) => !span(d.personId).stays);
      const newcomers = report.deputies.filter((d) => span(d.personId).first > TERM_CHANGE);
      expect(leavers.length).toBeGreaterThan(0);
      expect(newcomers.length).toBeGreaterThan(0);
      for (const deputy of leavers) {
        expect(deputy.cells.find((c) => c.period === '2021-12')).toBeUndefined();
        expect(deputy.cells.find((c) => c.period === '2021-11')!.status).not.toBe('missed');
        expect(deputy.cells.find((c) => c.act === 'duty-report')!.required).toBe(false);
      }
      for (const deputy of newcomers) {
        const { first } = span(deputy.personId);
        expect(deputy.cells.every((c) => c.endsOn >= first)).toBe(true);
        expect(deputy.cells.filter((c) => c.startsOn < first).every((c) => c.status !== 'missed')).toBe(true);
      }
    });

    it('counts only approved record versions visible in the view', async () => {
      const [declared] = await sql<{ record_id: string; station_id: string; date: string; approved_at: number }>(
        `SELECT e.data->>'recordId' AS record_id, e.data->>'stationId' AS station_id, e.data->>'date' AS date, a.position AS approved_at
           FROM yingpan.events e JOIN yingpan.events a ON a.type = 'RecordApproved' AND a.data->>'recordId' = e.data->>'recordId'
          WHERE e.type = 'StationVisitRecorded' AND (e.data->>'declared')::boolean ORDER BY e.position LIMIT 1`,
      );
      const [rejected] = await sql<{ record_id: string; station_id: string; date: string }>(
        `SELECT e.data->>'recordId' AS record_id, e.data->>'stationId' AS station_id, e.data->>'date' AS date
           FROM yingpan.events e JOIN yingpan.events r ON r.type IN ('RecordRejected', 'RecordRetracted') AND r.data->>'recordId' = e.data->>'recordId'
          WHERE e.type = 'StationVisitRecorded' ORDER BY e.position LIMIT 1`,
      );
      const counted = async (record: { record_id: string; station_id: string; date: string }, asOf: AsOf) => {
        const report = await compliance(testDb.db, { stationId: record.station_id, year: Number(record.date.slice(0, 4)), asOf });
        return report.deputies.some((d) => d.cells.some((c) => c.recordIds.includes(record.record_id)));
      };
      expect(await counted(declared!, NOW)).toBe(true);
      expect(await counted(declared!, { view: 'known', position: declared!.approved_at - 1 })).toBe(false);
      expect(await counted(declared!, { view: 'known', position: declared!.approved_at })).toBe(true);
      expect(await counted(rejected!, NOW)).toBe(false);
    });
  });
}
