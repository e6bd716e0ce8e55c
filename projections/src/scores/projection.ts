/**
 * Scoring rules as data: every version of every `scoring` regulation (《代表履职监督量化评价暂行办法》
 * and its amendments), with the days it applies and the rules it carries. Rows are versioned like
 * record facts (valid_from/valid_to position and instant): a repeal closes the regulation's rows and
 * opens them again with `repealed_on`, so "as it was known" sees the rules as they stood then.

 */
import type { ScoringRules } from '@yingpan/domain';
import { defineProjection } from '../engine/projection.ts';

const REGULATION_EVENTS = ['RegulationEnacted', 'RegulationAmended', 'RegulationRepealed'] as const;

interface VersionRow {
  regulation_id: string;
  version: number;
  title: string;
  effective_from: string;
  repealed_on: string | null;
  rules: ScoringRules;
  position: number;
}

export const scoringRules = defineProjection({
  name: 'scoring_rules',
  version: 2,
  handles: [...REGULATION_EVENTS],
  tables: (schema) => `
    CREATE TABLE ${schema}.rule_versions (
      regulation_id       uuid        NOT NULL,
      version             integer     NOT NULL,
      title               text        NOT NULL,
      effective_from      date        NOT NULL,   -- the first day this version applies
      repealed_on         date,                   -- the regulation's repeal: the first day no version applies
      rules               jsonb       NOT NULL,   -- ScoringRules
      position            bigint      NOT NULL,   -- the event that enacted or amended this version
      valid_from_position bigint      NOT NULL,
      valid_from_at       timestamptz NOT NULL,
      valid_to_position   bigint,
      valid_to_at         timestamptz,
      PRIMARY KEY (regulation_id, version, valid_from_position)
    );`,
  async apply(tx, schema, event) {
    const { position } = event;
    const at = event.metadata.recordedAt;
    const open = (row: VersionRow) =>
      tx.query(
        `INSERT INTO ${schema}.rule_versions
           (regulation_id, version, title, effective_from, repealed_on, rules, position, valid_from_position, valid_from_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [row.regulation_id, row.version, row.title, row.effective_from, row.repealed_on, JSON.stringify(row.rules), row.position, position, at],
      );
    switch (event.type) {
      case 'RegulationEnacted': {
        const { data } = event;
        if (data.category !== 'scoring') return;
        if (!data.scoringRules) throw new Error(`scoring regulation ${data.regulationId} was enacted without scoring rules`);
        await open({
          regulation_id: data.regulationId,
          version: 1,
          title: data.title,
          effective_from: data.effectiveFrom,
          repealed_on: null,
          rules: data.scoringRules,
          position,
        });
        return;
      }
      case 'RegulationAmended': {
        const { data } = event;
        const { rows } = await tx.query<{ title: string }>(
          `SELECT title FROM ${schema}.rule_versions WHERE regulation_id = $1 AND valid_to_position IS NULL LIMIT 1`,
          [data.regulationId],
        );
        if (!rows[0]) return; // not a scoring regulation
        if (!data.scoringRules) throw new Error(`scoring regulation ${data.regulationId} was amended without scoring rules`);
        await open({
          regulation_id: data.regulationId,
          version: data.version,
          title: rows[0].title,
          effective_from: data.effectiveFrom,
          repealed_on: null,
          rules: data.scoringRules,
          position,
        });
        return;
      }
      case 'RegulationRepealed': {
        const { data } = event;
        const { rows } = await tx.query<VersionRow>(
          `UPDATE ${schema}.rule_versions SET valid_to_position = $2, valid_to_at = $3
            WHERE regulation_id = $1 AND valid_to_position IS NULL
            RETURNING regulation_id, version, title, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, rules, position`,
          [data.regulationId, position, at],
        );
        for (const row of rows) await open({ ...row, repealed_on: data.repealedOn });
        return;
      }
    }
  },
});
