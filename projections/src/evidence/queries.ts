/**
 * The evidence files of records, receptions and opinions (rm_evidence), oldest first. In a view of
 * the past "as it was known" only the files attached by then are listed; in the other views, all.
 */
import type { Queryable } from '@yingpan/db';
import type { EvidenceSubjectKind } from '@yingpan/domain';
import { schemaOf } from '../engine/projection.ts';
import { NOW, type AsOf } from '../facts/as-of.ts';
import { evidence } from './projection.ts';

const S = schemaOf(evidence);

/** What a file is evidence of. */
export interface EvidenceSubjectRef {
  kind: EvidenceSubjectKind;
  id: string;
}

export interface EvidenceFileRow {
  subjectKind: EvidenceSubjectKind;
  subjectId: string;
  /** The stream the file was attached on (its address names it). */
  streamId: string;
  sha256: string;
  mediaType: string;
  size: number;
  name: string;
  width: number | null;
  height: number | null;
  /** When it was attached (ISO 8601). */
  attachedAt: string;
  /** The person who attached it. */
  attachedBy: string;
  position: number;
}

const key = (kind: string, id: string) => `${kind}:${id}`;

/** The evidence of each of `subjects`, in one statement: a map from `kind:id` to its files, oldest first (every subject has an entry). */
export async function evidenceOfMany(db: Queryable, subjects: readonly EvidenceSubjectRef[], asOf: AsOf = NOW): Promise<Map<string, EvidenceFileRow[]>> {
  const found = new Map<string, EvidenceFileRow[]>(subjects.map((subject) => [key(subject.kind, subject.id), []]));
  if (subjects.length === 0) return found;
  const params: unknown[] = [subjects.map((subject) => subject.kind), subjects.map((subject) => subject.id)];
  let seen = '';
  if (asOf.view === 'known') {
    params.push('position' in asOf ? asOf.position : asOf.at);
    seen = 'position' in asOf ? 'AND f.position <= $3' : 'AND f.attached_at <= $3::timestamptz';
  }
  const { rows } = await db.query<EvidenceFileRow & { attachedAt: Date | string; size: string | number; position: string | number }>(
    `SELECT f.subject_kind AS "subjectKind", f.subject_id::text AS "subjectId", f.stream_id AS "streamId", f.sha256, f.media_type AS "mediaType",
            f.size, f.name, f.width, f.height, f.attached_at AS "attachedAt", f.attached_by AS "attachedBy", f.position
       FROM ${S}.files f
       JOIN unnest($1::text[], $2::uuid[]) AS s(kind, id) ON f.subject_kind = s.kind AND f.subject_id = s.id
      WHERE true ${seen}
      ORDER BY f.position`,
    params,
  );
  for (const row of rows) {
    found.get(key(row.subjectKind, row.subjectId))?.push({
      ...row,
      size: Number(row.size),
      position: Number(row.position),
      attachedAt: new Date(row.attachedAt).toISOString(),
    });
  }
  return found;
}

/** The evidence files of one record, reception or opinion, oldest first. */
export async function evidenceOf(db: Queryable, subject: EvidenceSubjectRef, asOf: AsOf = NOW): Promise<EvidenceFileRow[]> {
  return (await evidenceOfMany(db, [subject], asOf)).get(key(subject.kind, subject.id)) ?? [];
}
