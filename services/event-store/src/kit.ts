/**
 * The auditor's kit: a selection of the log (one person's record for a term, a station's books for
 * a year) that an auditor checks with nothing but the log's published key — no database, no server.
 * Each entry is an event with its chain predecessor's hash and its inclusion proof in the tree of
 * one signed checkpoint, which the kit carries.
 *
 * An entry whose content the exporter may not show (voters' personal data the exporter's grants do
 * not reach) carries no event: only its chain hash, which the proof shows is in the tree, and a
 * redacted copy to read, marked as such and not checked byte for byte.
 *
 * `checkKit` runs in Node (`yingpan verify-kit`) and, bundled with the same code for hashing and
 * signatures, in the kit's offline page in a browser.
 */
import { checkProofFile, type InclusionProofFile } from './proof-file.ts';
import { NoteError, openCheckpoint, type NoteVerifier } from './note.ts';
import type { StoredEvent } from './types.ts';

export const KIT_FORMAT = 'yingpan-audit-kit/v1';

/** What a kit is of, as its exporter chose it. */
export interface KitSelection {
  kind: 'person' | 'station';
  /** The person's or the station's name, and its id. */
  name: string;
  id: string;
  /** The period: a term (its number and dates) or a year. */
  period: { label: string; from: string; to: string };
}

export interface KitEntry {
  position: number;
  /** The event's chain hash (hex): the leaf. */
  eventHash: string;
  /** The sibling hashes of its inclusion proof in the kit's checkpoint (hex). */
  hashes: string[];
  /** The event as stored (its `prevHash` is its chain predecessor's hash), when the exporter may show it. */
  event?: StoredEvent;
  /** Otherwise: what may be shown of it, for reading only (its hash is proven, its content is not). */
  withheld?: { type: string; streamId: string; occurredAt: string; data: unknown };
}

export interface AuditKit {
  format: typeof KIT_FORMAT;
  /** A title for people, e.g. "张三 · 第十八届 履职记录". */
  title: string;
  selection: KitSelection;
  exportedAt: string;
  /** The log's origin and published verifier key (an auditor should compare it with the one published elsewhere). */
  origin: string;
  verifierKey: string;
  /** The signed checkpoint every entry is proven against. */
  checkpoint: string;
  treeSize: number;
  entries: KitEntry[];
  /** Chinese names of the kinds of act (`data.act`), for reading; not part of what is checked. */
  actLabels?: Record<string, string>;
}

export interface KitEntryCheck {
  position: number;
  ok: boolean;
  /** `content` when the event's bytes were rehashed; `hash-only` for a withheld entry. */
  checked: 'content' | 'hash-only';
  message: string;
}

export type KitCheck =
  | { ok: true; checkpoint: { origin: string; treeSize: number }; entries: KitEntryCheck[]; summary: string }
  | { ok: false; reason: string; entries: KitEntryCheck[] };

/**
 * Checks a kit against `verifier` (the log's key, as the auditor got it from the publisher, not
 * from the kit) and `origin`. `kept`: a checkpoint note the auditor kept, used instead of the kit's.
 * Every entry is checked; the answer names each one that fails.
 */
export function checkKit(file: unknown, verifier: NoteVerifier, origin: string, kept?: string): KitCheck {
  const kit = file as Partial<AuditKit> | null;
  if (kit?.format !== KIT_FORMAT) return { ok: false, reason: `not an audit kit (format ${KIT_FORMAT})`, entries: [] };
  if (!Array.isArray(kit.entries) || typeof kit.checkpoint !== 'string') return { ok: false, reason: 'the kit has no entries or no checkpoint', entries: [] };
  let treeSize: number;
  try {
    treeSize = openCheckpoint(kept ?? kit.checkpoint, [verifier], origin).treeSize;
  } catch (error) {
    if (error instanceof NoteError) return { ok: false, reason: `checkpoint: ${error.reason}`, entries: [] };
    throw error;
  }
  if (kit.treeSize !== treeSize) return { ok: false, reason: `the kit says its tree has ${kit.treeSize} events, its checkpoint ${treeSize}`, entries: [] };
  const entries = kit.entries.map((entry): KitEntryCheck => {
    const position = entry?.position;
    if (entry?.event !== undefined && entry.withheld !== undefined) {
      return { position, ok: false, checked: 'content', message: 'an entry both encloses its event and says it is withheld' };
    }
    const proof: InclusionProofFile = {
      format: 'yingpan-inclusion-proof/v1',
      position,
      treeSize,
      eventHash: entry?.eventHash,
      hashes: entry?.hashes,
      checkpoint: kit.checkpoint!,
      ...(entry?.event !== undefined ? { event: entry.event } : {}),
    };
    const check = checkProofFile(proof, verifier, origin, kept);
    const checked = entry?.event !== undefined ? 'content' : 'hash-only';
    return check.ok ? { position, ok: true, checked, message: check.summary } : { position, ok: false, checked, message: check.reason };
  });
  const failed = entries.filter((entry) => !entry.ok);
  if (failed.length > 0) {
    return {
      ok: false,
      reason: `${failed.length} of ${entries.length} entries fail: ${failed.map((entry) => `position ${entry.position}: ${entry.message}`).join('; ')}`,
      entries,
    };
  }
  const hashOnly = entries.filter((entry) => entry.checked === 'hash-only').length;
  return {
    ok: true,
    checkpoint: { origin, treeSize },
    entries,
    summary:
      `all ${entries.length} entries are in the tree of ${treeSize} events signed by ${verifier.name}` +
      (hashOnly > 0 ? `; ${entries.length - hashOnly} rehashed from their content, ${hashOnly} withheld (hash only)` : ', each rehashed from its content'),
  };
}
