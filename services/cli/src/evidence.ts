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

/** Adds the file an event names, if it is an EvidenceAttached, to `named` (first naming wins). */
export function noteEvidence(named: Map<string, { position: number; name: string }>, event: { type: string; position: number; data: unknown }): void {
  if (event.type !== 'EvidenceAttached') return;
  const { sha256, name } = (event.data as { file: { sha256: string; name: string } }).file;
  if (!named.has(sha256)) named.set(sha256, { position: event.position, name });
}

/** The files the log names, by hash, with the first event naming each. */
export async function namedEvidence(store: EventStore): Promise<Map<string, { position: number; name: string }>> {
  const named = new Map<string, { position: number; name: string }>();
  for (let after = 0; ; ) {
    const page = await store.readAll({ after, limit: PAGE });
    if (page.length === 0) break;
    for (const event of page) noteEvidence(named, event);
    after = page.at(-1)!.position;
  }
  return named;
}

/** Checks each named file in `files`. */
export async function checkNamedFiles(named: ReadonlyMap<string, { position: number; name: string }>, files: FileStore): Promise<EvidenceCheck> {
  const problems: EvidenceProblem[] = [];
  for (const [sha256, { position, name }] of named) {
    const found = await files.check(sha256);
    if (found !== 'ok') problems.push({ sha256, position, name, problem: found });
  }
  return { files: named.size, problems };
}

export async function checkEvidenceFiles(store: EventStore, files: FileStore): Promise<EvidenceCheck> {
  return checkNamedFiles(await namedEvidence(store), files);
}

/** The folder of evidence files that travels beside a bundle (a file store of its own). */
export const bundleFilesDir = (bundle: string): string => `${bundle}.files`;

/**
 * Copies the named files from one store to another, each checked against its hash on the way;
 * a file missing or altered in `from` is not copied and is reported.
 */
export async function copyNamedFiles(named: ReadonlyMap<string, { position: number; name: string }>, from: FileStore, to: FileStore): Promise<EvidenceCheck> {
  const checked = await checkNamedFiles(named, from);
  const bad = new Set(checked.problems.map((problem) => problem.sha256));
  for (const sha256 of named.keys()) {
    if (bad.has(sha256)) continue;
    const bytes = await from.get(sha256);
    if (bytes) await to.put(bytes);
  }
  return checked;
}
