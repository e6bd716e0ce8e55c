/**
 * Evidence (佐证材料): a photo or a scan attached to a record of an act, a voter reception or an
 * opinion. The file itself is kept in the file store under its SHA-256 (services/files); the event
 * holds that hash, so the log's hash chain covers the file's bytes, and `yingpan verify` finds a
 * file that is missing or altered. The event is written on the stream of what it is attached to,
 * as an annotation: that stream's own decider never sees it.
 */
import { z } from 'zod';
import { defineEvent, type EventOf } from '../kernel/registry.ts';

export const EVIDENCE_SUBJECT_KINDS = ['record', 'reception', 'opinion'] as const;
export type EvidenceSubjectKind = (typeof EVIDENCE_SUBJECT_KINDS)[number];
export const EVIDENCE_SUBJECT_LABELS: Record<EvidenceSubjectKind, { zh: string; en: string }> = {
  record: { zh: '履职记录', en: 'Record' },
  reception: { zh: '接待选民', en: 'Voter reception' },
  opinion: { zh: '意见建议', en: 'Opinion' },
};

/** The media types the file store keeps (services/files: EVIDENCE_MEDIA_TYPES). */
export const EVIDENCE_FILE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;

export const evidenceSubject = z
  .object({
    kind: z
      .enum(EVIDENCE_SUBJECT_KINDS)
      .describe('record (an act’s record: its recordId), reception (VoterReceptionHeld: its receptionId) or opinion (its opinionId)'),
    id: z.uuid().describe('the record’s, reception’s or opinion’s id'),
  })
  .describe('what the file is evidence of, on the stream the event is written to');

export const evidenceFile = z.object({
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hash in lower-case hex')
    .describe('SHA-256 of the file as kept (a photo re-encoded without its EXIF): its name in the file store'),
  mediaType: z.enum(EVIDENCE_FILE_TYPES).describe('the type read from the file’s bytes: image/jpeg, image/png, image/webp or application/pdf'),
  size: z.number().int().positive().describe('the kept file’s size in bytes'),
  name: z.string().trim().min(1).max(200).describe('the file’s name as uploaded, for people to recognise it'),
  width: z.number().int().positive().nullable().describe('a photo’s width in pixels; null for a PDF'),
  height: z.number().int().positive().nullable().describe('a photo’s height in pixels; null for a PDF'),
});
export type EvidenceFileData = z.output<typeof evidenceFile>;

export const EvidenceAttached = defineEvent({
  type: 'EvidenceAttached',
  version: 1,
  stream: '*',
  annotation: true,
  description:
    'An evidence file (佐证材料: a photo or a scan) was attached to a record, a voter reception or an opinion on this stream; ' +
    'the file is kept under its SHA-256, which the event holds.',
  schema: z.object({ subject: evidenceSubject, file: evidenceFile }),
});

export const evidenceEvents = [EvidenceAttached];
export type EvidenceEvent = EventOf<typeof EvidenceAttached>;
