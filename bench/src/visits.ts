/**
 * Station visits no rule refuses, for the benchmarks that write (live.ts, api-writes.ts): drawn
 * from the seeded county's log.
 */
import type { Db } from '@yingpan/db';

export interface VisitInput {
  stationId: string;
  personId: string;
  mandateId: string;
  date: string;
  summary: string;
}

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * `count` visits no rule refuses: deputies of the open term who are assigned to a station (and
 * not since unassigned, their mandate not ended, the station not closed), each on days from
 * yesterday backwards on which they have no visit recorded yet, round-robin over the deputies
 * (so over the stations' streams).
 */
export async function visitPlan(db: Db, count: number): Promise<VisitInput[]> {
  const { rows: deputies } = await db.query<{ stationId: string; personId: string; mandateId: string; from: string }>(
    `WITH term AS (
       SELECT o.data->>'termId' AS term_id FROM yingpan.events o
        WHERE o.type = 'TermOpened' AND NOT EXISTS (SELECT 1 FROM yingpan.events c WHERE c.type = 'TermClosed' AND c.data->>'termId' = o.data->>'termId')
        ORDER BY o.position DESC LIMIT 1)
     SELECT a.data->>'stationId' AS "stationId", a.data->>'personId' AS "personId", a.data->>'mandateId' AS "mandateId",
            greatest(a.data->>'assignedOn', m.data->>'startsOn') AS "from"
       FROM yingpan.events a
       JOIN yingpan.events m ON m.type = 'MandateStarted' AND m.data->>'mandateId' = a.data->>'mandateId'
       JOIN term ON m.data->>'termId' = term.term_id
      WHERE a.type = 'DeputyAssignedToStation' AND m.data->>'kind' = 'deputy'
        AND NOT EXISTS (SELECT 1 FROM yingpan.events u WHERE u.type = 'DeputyUnassignedFromStation' AND u.stream_id = a.stream_id
                           AND u.data->>'personId' = a.data->>'personId' AND u.position > a.position)
        AND NOT EXISTS (SELECT 1 FROM yingpan.events e WHERE e.type = 'MandateEnded' AND e.data->>'mandateId' = a.data->>'mandateId')
        AND NOT EXISTS (SELECT 1 FROM yingpan.events s WHERE s.type = 'StationClosed' AND s.stream_id = a.stream_id)
      ORDER BY a.position`,
  );
  if (deputies.length === 0) throw new Error('no deputy of the open term is assigned to a station');
  const { rows: visited } = await db.query<{ key: string }>(
    `SELECT (data->>'personId') || '|' || (data->>'date') AS key FROM yingpan.events WHERE type = 'StationVisitRecorded'`,
  );
  const taken = new Set(visited.map((row) => row.key));
  const yesterday = dayBefore(new Date().toISOString().slice(0, 10));
  const next = deputies.map(() => yesterday);
  const plan: VisitInput[] = [];
  for (let i = 0; plan.length < count; i++) {
    const d = i % deputies.length;
    const deputy = deputies[d]!;
    let date = next[d]!;
    while (date >= deputy.from && taken.has(`${deputy.personId}|${date}`)) date = dayBefore(date);
    if (i >= deputies.length * 4000) throw new Error(`only ${plan.length} free visit days found, ${count} wanted`);
    if (date < deputy.from) continue;
    taken.add(`${deputy.personId}|${date}`);
    next[d] = dayBefore(date);
    plan.push({ stationId: deputy.stationId, personId: deputy.personId, mandateId: deputy.mandateId, date, summary: '进站接待选民，收集意见建议' });
  }
  return plan;
}
