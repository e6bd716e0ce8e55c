/**
 * Evidence files (佐证材料) by what they prove: one row per file attached to a record, a voter
 * reception or an opinion (EvidenceAttached), with the stream it was written on (a file's address
 * names it), its name, type, size and when and by whom it was attached. The files themselves are in
 * the file store under their SHA-256; who may see them is the API's rule (access.ts).
 */
import { defineProjection } from '../engine/projection.ts';

export const evidence = defineProjection({
  name: 'evidence',
  version: 1,
  handles: ['EvidenceAttached'],
  tables: (schema) => `
    CREATE TABLE ${schema}.files (
      subject_kind text        NOT NULL,
      subject_id   uuid        NOT NULL,
      sha256       text        NOT NULL,
      stream_id    text        NOT NULL,
      media_type   text        NOT NULL,
      size         bigint      NOT NULL,
      name         text        NOT NULL,
      width        integer,
      height       integer,
      attached_at  timestamptz NOT NULL,
      attached_by  text        NOT NULL,
      position     bigint      NOT NULL,
      PRIMARY KEY (subject_kind, subject_id, sha256)
    );`,
  async apply(tx, schema, event) {
    switch (event.type) {
      case 'EvidenceAttached': {
        const { subject, file } = event.data;
        await tx.query(
          `INSERT INTO ${schema}.files (subject_kind, subject_id, sha256, stream_id, media_type, size, name, width, height, attached_at, attached_by, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           ON CONFLICT DO NOTHING`,
          [
            subject.kind,
            subject.id,
            file.sha256,
            event.streamId,
            file.mediaType,
            file.size,
            file.name,
            file.width,
            file.height,
            event.metadata.recordedAt ?? event.metadata.occurredAt,
            event.metadata.recordedBy.personId,
            event.position,
          ],
        );
      }
    }
  },
});
