/**
 * Proofs as files an outsider checks with nothing but the published key (`yingpan prove`,
 * `yingpan verify-proof`): an inclusion proof with the checkpoint it is for (and, optionally, the
 * event, whose chain hash is recomputed from its content), or a consistency proof with the two
 * checkpoints it joins. Every refusal names what failed.
 */
import { hashOf } from './hash.ts';
import { leafHash, verifyConsistency, verifyInclusion } from './merkle.ts';
import { NoteError, openCheckpoint, type NoteVerifier } from './note.ts';
import type { StoredEvent } from './types.ts';

export interface InclusionProofFile {
  format: 'yingpan-inclusion-proof/v1';
  position: number;
  treeSize: number;
  /** The leaf: the event's chain hash (hex). */
  eventHash: string;
  /** Hex, the sibling next to the leaf first. */
  hashes: string[];
  /** The signed checkpoint note of a tree of `treeSize` leaves. */
  checkpoint: string;
  /** The event as stored, when included: its chain hash is recomputed from it. */
  event?: StoredEvent;
}

export interface ConsistencyProofFile {
  format: 'yingpan-consistency-proof/v1';
  fromSize: number;
  toSize: number;
  hashes: string[];
  /** The earlier checkpoint, if the log keeps one of that size; else the checker gives the one they kept. */
  fromCheckpoint: string | null;
  toCheckpoint: string;
}

export type ProofFile = InclusionProofFile | ConsistencyProofFile;

export type ProofFileCheck = { ok: true; summary: string } | { ok: false; reason: string };

const HEX32 = /^[0-9a-f]{64}$/;

function hashesOf(value: unknown): Buffer[] {
  if (!Array.isArray(value) || !value.every((hash) => typeof hash === 'string' && HEX32.test(hash))) {
    throw new NoteError('the proof’s hashes must be a list of 64 hex digits each');
  }
  return value.map((hash) => Buffer.from(hash, 'hex'));
}

/**
 * Checks a proof file against `verifier` (the log's published key) and `origin`. `kept`: a
 * checkpoint note the checker kept itself, used instead of the file's (for a consistency proof,
 * instead of its `fromCheckpoint`; for an inclusion proof, instead of its `checkpoint`).
 */
export function checkProofFile(file: unknown, verifier: NoteVerifier, origin: string, kept?: string): ProofFileCheck {
  try {
    const proof = file as Partial<ProofFile> | null;
    if (proof?.format === 'yingpan-inclusion-proof/v1') return checkInclusion(proof as InclusionProofFile, verifier, origin, kept);
    if (proof?.format === 'yingpan-consistency-proof/v1') return checkConsistency(proof as ConsistencyProofFile, verifier, origin, kept);
    return { ok: false, reason: 'not a yingpan proof file (format yingpan-inclusion-proof/v1 or yingpan-consistency-proof/v1)' };
  } catch (error) {
    if (error instanceof NoteError) return { ok: false, reason: `checkpoint: ${error.reason}` };
    throw error;
  }
}

function checkInclusion(proof: InclusionProofFile, verifier: NoteVerifier, origin: string, kept?: string): ProofFileCheck {
  const checkpoint = openCheckpoint(kept ?? proof.checkpoint, [verifier], origin);
  if (!Number.isSafeInteger(proof.position) || proof.position < 1) return { ok: false, reason: `position ${proof.position} is not a log position` };
  if (checkpoint.treeSize !== proof.treeSize) {
    return { ok: false, reason: `the proof is for a tree of ${proof.treeSize} events, the checkpoint is of ${checkpoint.treeSize}` };
  }
  if (proof.position > checkpoint.treeSize) {
    return { ok: false, reason: `position ${proof.position} is past the checkpoint’s tree of ${checkpoint.treeSize} events` };
  }
  if (typeof proof.eventHash !== 'string' || !HEX32.test(proof.eventHash)) return { ok: false, reason: 'the event hash must be 64 hex digits' };
  if (proof.event !== undefined) {
    if (proof.event.position !== proof.position)
      return { ok: false, reason: `the event enclosed is at position ${proof.event.position}, the proof is for ${proof.position}` };
    let recomputed: string;
    try {
      recomputed = hashOf(proof.event.prevHash, proof.event);
    } catch {
      recomputed = '(cannot be hashed)';
    }
    if (recomputed !== proof.eventHash || proof.event.hash !== proof.eventHash) {
      return { ok: false, reason: `the event enclosed hashes to ${recomputed}, not to the proof’s event hash ${proof.eventHash}: its content was changed` };
    }
  }
  const check = verifyInclusion(
    leafHash(Buffer.from(proof.eventHash, 'hex')),
    proof.position - 1,
    checkpoint.treeSize,
    hashesOf(proof.hashes),
    checkpoint.rootHash,
  );
  if (!check.ok) return { ok: false, reason: `inclusion: ${check.reason}` };
  const content = proof.event ? ` (${proof.event.type} on ${proof.event.streamId}, its content rehashed)` : '';
  return {
    ok: true,
    summary: `the event at position ${proof.position}${content} is in the tree of ${checkpoint.treeSize} events signed by ${verifier.name} for ${checkpoint.origin}`,
  };
}

function checkConsistency(proof: ConsistencyProofFile, verifier: NoteVerifier, origin: string, kept?: string): ProofFileCheck {
  const earlier = kept ?? proof.fromCheckpoint;
  if (!earlier) return { ok: false, reason: `the proof carries no checkpoint of ${proof.fromSize} events: give the one you kept (--checkpoint)` };
  const from = openCheckpoint(earlier, [verifier], origin);
  const to = openCheckpoint(proof.toCheckpoint, [verifier], origin);
  if (from.treeSize !== proof.fromSize || to.treeSize !== proof.toSize) {
    return {
      ok: false,
      reason: `the proof joins trees of ${proof.fromSize} and ${proof.toSize} events, the checkpoints are of ${from.treeSize} and ${to.treeSize}`,
    };
  }
  const check = verifyConsistency(from.treeSize, to.treeSize, hashesOf(proof.hashes), from.rootHash, to.rootHash);
  if (!check.ok) return { ok: false, reason: `consistency: ${check.reason}` };
  return {
    ok: true,
    summary: `the tree of ${to.treeSize} events extends the checkpoint of ${from.treeSize}: nothing before it was changed, removed or reordered`,
  };
}
