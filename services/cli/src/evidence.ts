/**
 * The evidence files the log names, checked against the file store: every `EvidenceAttached`
 * event names a file by its SHA-256, so a file that is gone, or whose bytes no longer hash to its
 * name, is found here (`yingpan verify`).
 */
import type { EventStore } from '@yingpan/event-store';
import type { FileStore } from '@yingpan/files';

export interface EvidenceProblem {
  sha256: string;
  /** The first event that names it. */
  position: number;
  name: string;
  problem: 'missing' | 'altered';
}

export interface EvidenceCheck {
  /** Distinct files the log names. */
  files: number;
  problems: EvidenceProblem[];
}

const PAGE = 5000;

export async function checkEvidenceFiles(store: EventStore, files: FileStore): Promise<EvidenceCheck> {
  const named = new Map<string, { position: number; name: string }>();
  for (let after = 0; ; ) {
    const page = await store.readAll({ after, limit: PAGE });
    if (page.length === 0) break;
    for (const event of page) {
      if (event.type !== 'EvidenceAttached') continue;
      const { sha256, name } = (event.data as { file: { sha256: string; name: string } }).file;
      if (!named.has(sha256)) named.set(sha256, { position: event.position, name });
    }
    after = page.at(-1)!.position;
  }
  const problems: EvidenceProblem[] = [];
  for (const [sha256, { position, name }] of named) {
    const found = await files.check(sha256);
    if (found !== 'ok') problems.push({ sha256, position, name, problem: found });
  }
  return { files: named.size, problems };
}
