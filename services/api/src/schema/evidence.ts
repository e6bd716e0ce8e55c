/**
 * Evidence files (佐证材料) where records, receptions and opinions are shown: an `evidence` field on
 * each (a station book's records, receptions and opinions, a mandate's records, one record, a
 * declaration awaiting review), from the evidence read model, batch-loaded per request. Who may see
 * them follows who may see what they prove (access.ts: mayReadEvidenceOf); for anyone else the field
 * is null. The files themselves are fetched at their `url`, which the web forwards to the API's
 * `/files/…` (files-http.ts), where the same rule is applied again; they are uploaded there too.
 */
import { createContextCache } from '@pothos/core';
import type { EvidenceSubjectKind } from '@yingpan/domain';
import { type AsOf, evidenceOfMany, type EvidenceFileRow } from '@yingpan/projections';
import DataLoader from 'dataloader';
import { type EvidenceScope, mayReadEvidenceIn } from '../access.ts';
import type { Context } from '../context.ts';
import { AsOfInput } from './as-of.ts';
import { builder } from './builder.ts';
import { readAsOf } from './common.ts';
import { PredecessorEntry } from './handover.ts';
import { ActRecordType, PendingRecordType } from './review.ts';
import { BookRecordType, OpinionEntryType, ReceptionEntryType } from './stations.ts';

/** Where a kept file is read, on the web's origin as on the API's. */
export const evidenceUrl = (file: Pick<EvidenceFileRow, 'streamId' | 'subjectKind' | 'subjectId' | 'sha256'>): string =>
  `/files/${file.streamId}/${file.subjectKind}/${file.subjectId}/${file.sha256}`;

const EvidenceFileType = builder.objectRef<EvidenceFileRow>('EvidenceFile').implement({
  description: 'An evidence file (佐证材料): a photo or a scan attached to a record, a voter reception or an opinion.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The file’s name as uploaded.' }),
    mediaType: t.exposeString('mediaType', { description: 'Its type, read from its bytes: image/jpeg, image/png, image/webp or application/pdf.' }),
    size: t.exposeInt('size', { description: 'Its size in bytes, as kept (a photo is kept re-encoded, without its EXIF).' }),
    width: t.exposeInt('width', { nullable: true, description: 'A photo’s width in pixels; null for a PDF.' }),
    height: t.exposeInt('height', { nullable: true, description: 'A photo’s height in pixels; null for a PDF.' }),
    attachedAt: t.expose('attachedAt', { type: 'DateTime', description: 'When it was attached (ISO 8601).' }),
    sha256: t.exposeString('sha256', { description: 'SHA-256 of the kept file, as the log’s EvidenceAttached event holds it.' }),
    url: t.string({
      description: 'Where the file is read (a path on this site): only by those who may see what it proves.',
      resolve: (file) => evidenceUrl(file),
    }),
    thumbnailUrl: t.string({
      nullable: true,
      description: 'Where a photo’s small preview (WebP) is read; null for a PDF.',
      resolve: (file) => (file.mediaType.startsWith('image/') ? `${evidenceUrl(file)}/thumbnail` : null),
    }),
  }),
});

/** Per request and view of the past: the files of each subject asked about in a tick (a page), in one statement. */
const evidenceLoaders = createContextCache((context: Context) => {
  const loaders = new Map<string, DataLoader<string, EvidenceFileRow[]>>();
  return (asOf: AsOf) => {
    const view = JSON.stringify(asOf);
    let loader = loaders.get(view);
    if (!loader) {
      loader = new DataLoader<string, EvidenceFileRow[]>(async (keys) => {
        const subjects = keys.map((key) => {
          const [kind, id] = key.split(':') as [EvidenceSubjectKind, string];
          return { kind, id };
        });
        const found = await evidenceOfMany(context.db, subjects, asOf);
        return keys.map((key) => found.get(key) ?? []);
      });
      loaders.set(view, loader);
    }
    return loader;
  };
});

const DESCRIPTION =
  'Evidence files (佐证材料), oldest first. Served to those who may see what they prove — staff and auditors; a station’s manager; ' +
  'the deputies it concerns; committee members and administrators for records only — and null for everyone else. ' +
  '`asOf` (the page’s view of the past): as it was known, only the files attached by then; as it happened, every file kept today.';

/** The field's resolver: the files of `subject` when the caller may see them, else null. */
async function evidenceOf(context: Context, subject: EvidenceScope & { id: string }, asOf: AsOf): Promise<EvidenceFileRow[] | null> {
  if (!(await mayReadEvidenceIn(context, subject))) return null;
  return evidenceLoaders(context)(asOf).load(`${subject.kind}:${subject.id}`);
}

const ofRecord = (record: { recordId: string; personId: string; stationId: string | null }, context: Context, asOf: AsOf) =>
  evidenceOf(context, { kind: 'record', id: record.recordId, people: [record.personId], stationId: record.stationId }, asOf);

for (const type of [BookRecordType, ActRecordType, PendingRecordType, PredecessorEntry] as const) {
  builder.objectField(type as typeof BookRecordType, 'evidence', (t) =>
    t.field({
      type: [EvidenceFileType],
      nullable: true,
      description: DESCRIPTION,
      args: { asOf: t.arg({ type: AsOfInput }) },
      resolve: (record, { asOf }, context) => ofRecord(record, context, readAsOf(asOf)),
    }),
  );
}

builder.objectField(ReceptionEntryType, 'evidence', (t) =>
  t.field({
    type: [EvidenceFileType],
    nullable: true,
    description: DESCRIPTION,
    args: { asOf: t.arg({ type: AsOfInput }) },
    resolve: (entry, { asOf }, context) =>
      evidenceOf(
        context,
        {
          kind: 'reception',
          id: entry.receptionId,
          people: [entry.lead.personId, ...entry.deputies.map((deputy) => deputy.personId)],
          stationId: entry.stationId,
        },
        readAsOf(asOf),
      ),
  }),
);

builder.objectField(OpinionEntryType, 'evidence', (t) =>
  t.field({
    type: [EvidenceFileType],
    nullable: true,
    description: DESCRIPTION,
    args: { asOf: t.arg({ type: AsOfInput }) },
    resolve: (entry, { asOf }, context) =>
      evidenceOf(context, { kind: 'opinion', id: entry.opinionId, people: [entry.receivedBy.personId], stationId: entry.stationId }, readAsOf(asOf)),
  }),
);
