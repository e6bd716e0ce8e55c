/**
 * Evidence files (佐证材料) in the browser: what a record, a voter reception or an opinion is, as the
 * API's `/files/…` names it (forwarded by the web server, src/routes/files), attaching a file to one
 * (sent in parts, $lib/upload-parts, then checked and kept by the API), and how a file is described.
 */
import { writtenPosition } from '$lib/consistency';
import { refusal, sendParts } from '$lib/upload-parts';

/** As the API takes them (services/files: MAX_EVIDENCE_BYTES, EVIDENCE_MEDIA_TYPES). */
export const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;
export const EVIDENCE_ACCEPT = 'image/jpeg,image/png,image/webp,application/pdf';

export type EvidenceKind = 'record' | 'reception' | 'opinion';

/** What evidence is attached to: its kind and id, and the stream of the log that holds it. */
export interface EvidenceSubject {
  kind: EvidenceKind;
  id: string;
  /** Null while the read models have not caught up with a new record (nothing can be attached yet). */
  streamId: string | null;
}

/** An evidence file as the GraphQL `evidence` fields list it. */
export interface EvidenceFile {
  name: string;
  mediaType: string;
  size: number;
  attachedAt: string;
  url: string;
  thumbnailUrl?: string | null;
  sha256: string;
}

/** The stream a reception (its station's) or an opinion (its own) lives in. */
export const receptionStream = (stationId: string) => `station:${stationId}`;
export const opinionStream = (opinionId: string) => `opinion:${opinionId}`;

/** Where the API serves a subject's file (the same address the GraphQL field gives). */
export const fileUrl = (subject: EvidenceSubject & { streamId: string }, sha256: string) =>
  `/files/${subject.streamId}/${subject.kind}/${subject.id}/${sha256}`;

/** 1.2 MB, 350 KB. */
export function sizeLabel(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** 2026-12-04 09:30, in China Standard Time (the county's clock). */
export function attachedLabel(iso: string): string {
  const time = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  return `${time.slice(0, 10)} ${time.slice(11, 16)}`;
}

export interface UploadProgress {
  stage: 'upload' | 'check';
  done: number;
  total: number;
}

/** Whether a file can be sent at all (the API checks it again, by its content): a message in Chinese, or null. */
export function checkBeforeUpload(file: { name: string; size: number; type: string }): string | null {
  if (file.size === 0) return `「${file.name}」是空文件`;
  if (file.size > MAX_EVIDENCE_BYTES) return `「${file.name}」过大（${sizeLabel(file.size)}），上限 ${sizeLabel(MAX_EVIDENCE_BYTES)}`;
  if (file.type && !EVIDENCE_ACCEPT.split(',').includes(file.type)) return `「${file.name}」不是照片（JPEG、PNG、WebP）或 PDF 扫描件`;
  return null;
}

/**
 * Sends `file` and attaches it to `subject`; answers the file as the list shows it. The log position
 * it reached is kept for this tab's next pages (read-your-writes, $lib/consistency).
 */
export async function attachEvidence(
  subject: EvidenceSubject & { streamId: string },
  file: File,
  onProgress: (progress: UploadProgress) => void,
): Promise<EvidenceFile> {
  const id = await sendParts('/files', file, (done, total) => onProgress({ stage: 'upload', done, total }));
  onProgress({ stage: 'check', done: 0, total: 1 });
  const query = new URLSearchParams({ stream: subject.streamId, kind: subject.kind, subject: subject.id, name: file.name });
  const response = await fetch(`/files/uploads/${id}/attach?${query}`, { method: 'POST' });
  if (!response.ok) throw await refusal(response);
  const answer = (await response.json()) as { file: { sha256: string; mediaType: string; size: number; name: string }; position: number };
  writtenPosition().note({ logPosition: answer.position });
  const url = fileUrl(subject, answer.file.sha256);
  return {
    ...answer.file,
    attachedAt: new Date().toISOString(),
    url,
    thumbnailUrl: answer.file.mediaType.startsWith('image/') ? `${url}/thumbnail` : null,
  };
}
