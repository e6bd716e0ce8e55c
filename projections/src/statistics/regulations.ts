/**
 * The county's regulations (制度) and their versions — 立、改、废 — read from the county registry's
 * versioned rows (registry.ts), in any view of the past (as-of.ts): as it happened on a date, only
 * the versions in force by then (an amendment taking effect later is not there yet); as it was
 * known at a position or instant, only what had been recorded. The headline 制度修订 figure counts
 * the same rows (statistics/queries.ts).
 */
import type { Queryable } from '@yingpan/db';
import { schemaOf } from '../engine/projection.ts';
import { Params, type AsOf } from '../facts/as-of.ts';
import { entityHistory } from './as-of.ts';
import { countyRegistry } from './registry.ts';

/** One step of a regulation's life: enacted (version 1), amended (a new version), or repealed. */
export interface RegulationStep {
  kind: 'enacted' | 'amended' | 'repealed';
  /** The version in force after this step (the last one for a repeal). */
  version: number;
  /** The day it took effect (a version's first day; a repeal's first day without the regulation). */
  effectiveOn: string;
  /** What the step says: the regulation's summary, what the amendment changed, why it was repealed. */
  text: string;
  /** Whether the version in force after this step carries scoring rules (量化评价办法). */
  scoring: boolean;
  position: number;
  recordedAt: string;
}

export interface Regulation {
  regulationId: string;
  title: string;
  /** scoring | station | procedure | other */
  category: string;
  /** In force in the view, or repealed. */
  status: 'in-force' | 'repealed';
  /** The version in force (the last one, once repealed). */
  version: number;
  /** The first version's first day. */
  enactedOn: string;
  repealedOn: string | null;
  /** Every step seen in the view, oldest first. */
  steps: RegulationStep[];
}

interface Row {
  regulation_id: string;
  event_type: string;
  status: string;
  status_on: string;
  data: { title?: string; category?: string; version?: number; summary?: string; changes?: string; reason?: string; scoring?: boolean };
  position: string;
  recorded_at: Date | string;
}

const KIND: Record<string, RegulationStep['kind']> = { enacted: 'enacted', amended: 'amended', repealed: 'repealed' };

/** Every regulation seen in the view with its steps, the ones in force first, then by title. */
export async function regulations(db: Queryable, { asOf }: { asOf: AsOf }): Promise<Regulation[]> {
  const params = new Params();
  const table = `${schemaOf(countyRegistry)}.entity_versions`;
  const { rows } = await db.query<Row>(
    `SELECT e.entity_id AS regulation_id, e.event_type, e.status, to_char(e.status_on, 'YYYY-MM-DD') AS status_on, e.data,
            e.valid_from_position AS position, e.valid_from_at AS recorded_at
       FROM ${entityHistory(table, 'regulation', asOf, params.add)} e
      ORDER BY e.entity_id, e.version`,
    params.values,
  );
  const byId = new Map<string, Regulation>();
  for (const row of rows) {
    const kind = KIND[row.status];
    if (!kind) throw new Error(`regulation ${row.regulation_id} has a version with status ${row.status}`);
    const step: RegulationStep = {
      kind,
      version: row.data.version ?? 1,
      effectiveOn: row.status_on,
      text: (kind === 'enacted' ? row.data.summary : kind === 'amended' ? row.data.changes : row.data.reason) ?? '',
      scoring: row.data.scoring ?? false,
      position: Number(row.position),
      recordedAt: new Date(row.recorded_at).toISOString(),
    };
    const regulation = byId.get(row.regulation_id);
    if (!regulation) {
      byId.set(row.regulation_id, {
        regulationId: row.regulation_id,
        title: row.data.title ?? '',
        category: row.data.category ?? 'other',
        status: kind === 'repealed' ? 'repealed' : 'in-force',
        version: step.version,
        enactedOn: step.effectiveOn,
        repealedOn: kind === 'repealed' ? step.effectiveOn : null,
        steps: [step],
      });
      continue;
    }
    regulation.steps.push(step);
    regulation.version = step.version;
    if (kind === 'repealed') {
      regulation.status = 'repealed';
      regulation.repealedOn = step.effectiveOn;
    }
  }
  return [...byId.values()].sort(
    (a, b) =>
      Number(a.status === 'repealed') - Number(b.status === 'repealed') ||
      a.title.localeCompare(b.title, 'zh-CN') ||
      a.regulationId.localeCompare(b.regulationId),
  );
}
