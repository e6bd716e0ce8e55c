/**
 * The Merkle tree of RFC 9162 §2.1 (Certificate Transparency v2), as pure functions: the tree
 * hash, which subtrees an inclusion or consistency proof is made of, and the two verifiers exactly
 * as §2.1.3.2 and §2.1.4.2 give them.
 *
 * - leaf hash: SHA-256(0x00 ‖ leaf); node hash: SHA-256(0x01 ‖ left ‖ right); the empty tree:
 *   SHA-256 of nothing;
 * - MTH(D[n]) for n > 1 splits at k, the largest power of two smaller than n.
 *
 * In yingpan a leaf is the 32 bytes of an event's chain hash, and leaf index i is log position
 * i + 1 (docs/decisions.md §11). Indexes and sizes are plain numbers (a log stays far below 2^53),
 * so no bitwise operator is used (they would cut to 32 bits).
 *
 * Proofs are produced over "range hashes": MTH of a run of leaves D[start:end]. Every range a
 * proof needs starts at a multiple of a power of two at least as large as the range, so its hash
 * is the fold, from the right, of the complete subtrees `perfectSubtrees` names — what the store
 * keeps (yingpan.merkle_nodes) and `MemoryTree` keeps in memory.
 */
import { createHash } from 'node:crypto';

export const HASH_BYTES = 32;
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** MTH({}) = SHA-256(). */
export const EMPTY_ROOT: Buffer = sha256();

/** MTH({d}) = SHA-256(0x00 ‖ d). */
export const leafHash = (leaf: Uint8Array): Buffer => sha256(LEAF_PREFIX, leaf);

/** SHA-256(0x01 ‖ left ‖ right). */
export const nodeHash = (left: Uint8Array, right: Uint8Array): Buffer => sha256(NODE_PREFIX, left, right);

/** The largest power of two smaller than `n` (n > 1): where MTH splits D[n]. */
export function splitPoint(n: number): number {
  if (!(n > 1)) throw new RangeError(`no split point for ${n} leaves`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) of RFC 9162 §2.1.1 over leaf hashes, by its recursive definition (tests, small trees). */
export function rootOf(leafHashes: readonly Uint8Array[]): Buffer {
  if (leafHashes.length === 0) return EMPTY_ROOT;
  if (leafHashes.length === 1) return Buffer.from(leafHashes[0]!);
  const k = splitPoint(leafHashes.length);
  return nodeHash(rootOf(leafHashes.slice(0, k)), rootOf(leafHashes.slice(k)));
}

/** A run of leaves D[start:end], by leaf index (0-based, end exclusive). */
export interface LeafRange {
  start: number;
  end: number;
}

/** A complete subtree: 2^level leaves from index × 2^level. Level 0 is a leaf hash. */
export interface SubtreeId {
  level: number;
  index: number;
}

const isCount = (value: number) => Number.isSafeInteger(value) && value >= 0;

/**
 * The ranges whose hashes make up PATH(index, D[size]) (RFC 9162 §2.1.3.1), in proof order (the
 * sibling next to the leaf first). Throws a RangeError for an index outside the tree.
 */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  if (!isCount(index) || !isCount(size) || index >= size) {
    throw new RangeError(`leaf index ${index} is not in a tree of ${size} leaves`);
  }
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index - start < k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
    }
  }
  return ranges.reverse();
}

/**
 * The ranges whose hashes make up PROOF(first, D[second]) = SUBPROOF(first, D[second], true)
 * (RFC 9162 §2.1.4.1), in proof order. Empty when first is 0 or equals second (nothing to prove).
 */
export function consistencyRanges(first: number, second: number): LeafRange[] {
  if (!isCount(first) || !isCount(second) || first > second) {
    throw new RangeError(`a tree of ${first} leaves cannot be a prefix of one of ${second}`);
  }
  if (first === 0 || first === second) return [];
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = second;
  let whole = true; // SUBPROOF's b: the subtree is a whole old tree the verifier holds
  for (;;) {
    const size = end - start;
    const m = first - start;
    if (m === size) {
      if (!whole) ranges.push({ start, end });
      break;
    }
    const k = splitPoint(size);
    if (m <= k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
      whole = false;
    }
  }
  return ranges.reverse();
}

/**
 * The complete subtrees D[start:end] is made of, left to right, largest first: MTH(D[start:end])
 * is their hashes folded from the right (nodeHash(a, nodeHash(b, c))). Holds for every range a
 * proof or a root needs: it starts at a multiple of a power of two at least as large as itself.
 */
export function perfectSubtrees(range: LeafRange): SubtreeId[] {
  const { start, end } = range;
  if (!isCount(start) || !isCount(end) || start >= end) throw new RangeError(`empty or invalid leaf range [${start}, ${end})`);
  const subtrees: SubtreeId[] = [];
  for (let at = start; at < end; ) {
    let width = 1;
    while (at % (width * 2) === 0 && at + width * 2 <= end) width *= 2;
    subtrees.push({ level: Math.log2(width), index: at / width });
    at += width;
  }
  return subtrees;
}

/** Folds the hashes of `perfectSubtrees(range)`, in that order, into MTH of the range. */
export function foldSubtrees(hashes: readonly Uint8Array[]): Buffer {
  if (hashes.length === 0) throw new RangeError('no subtrees to fold');
  let acc: Buffer = Buffer.from(hashes[hashes.length - 1]!);
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i]!, acc);
  return acc;
}

/** MTH(D[0:size]) from the hashes of complete subtrees (`subtree` answers each one asked for). */
export function rootFromSubtrees(size: number, subtree: (id: SubtreeId) => Uint8Array): Buffer {
  if (size === 0) return EMPTY_ROOT;
  return foldSubtrees(perfectSubtrees({ start: 0, end: size }).map(subtree));
}

/** The complete subtrees every range of `ranges` needs, each once. */
export function subtreesOf(ranges: readonly LeafRange[]): SubtreeId[] {
  const seen = new Map<string, SubtreeId>();
  for (const range of ranges) for (const id of perfectSubtrees(range)) seen.set(`${id.level}:${id.index}`, id);
  return [...seen.values()];
}

/** A tree kept in memory as its complete subtrees, filled as leaves arrive (tests, the offline kit, the bench). */
export class MemoryTree {
  /** levels[l][i]: the hash of the complete subtree (l, i). */
  private readonly levels: Buffer[][] = [[]];

  get size(): number {
    return this.levels[0]!.length;
  }

  /** Appends one leaf (its data; the tree stores SHA-256(0x00 ‖ leaf)). */
  append(leaf: Uint8Array): void {
    this.appendLeafHash(leafHash(leaf));
  }

  appendLeafHash(hash: Uint8Array): void {
    let level = 0;
    let index = this.size;
    let current: Buffer = Buffer.from(hash);
    this.levels[0]!.push(current);
    while (index % 2 === 1) {
      current = nodeHash(this.levels[level]![index - 1]!, current);
      level += 1;
      index = (index - 1) / 2;
      (this.levels[level] ??= []).push(current);
    }
  }

  subtree = (id: SubtreeId): Buffer => {
    const hash = this.levels[id.level]?.[id.index];
    if (!hash) throw new RangeError(`no complete subtree at level ${id.level}, index ${id.index}`);
    return hash;
  };

  rangeHash(range: LeafRange): Buffer {
    return foldSubtrees(perfectSubtrees(range).map(this.subtree));
  }

  root(size = this.size): Buffer {
    if (size > this.size) throw new RangeError(`the tree has ${this.size} leaves, not ${size}`);
    return rootFromSubtrees(size, this.subtree);
  }

  inclusionProof(index: number, size = this.size): Buffer[] {
    if (size > this.size) throw new RangeError(`the tree has ${this.size} leaves, not ${size}`);
    return inclusionRanges(index, size).map((range) => this.rangeHash(range));
  }

  consistencyProof(first: number, second = this.size): Buffer[] {
    if (second > this.size) throw new RangeError(`the tree has ${this.size} leaves, not ${second}`);
    return consistencyRanges(first, second).map((range) => this.rangeHash(range));
  }
}

/** A verifier's answer: valid, or the reason it is not. */
export type ProofCheck = { ok: true } | { ok: false; reason: string };

const OK: ProofCheck = { ok: true };
const fail = (reason: string): ProofCheck => ({ ok: false, reason });
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const half = (value: number) => Math.floor(value / 2);
const odd = (value: number) => value % 2 === 1;
const sameHash = (a: Uint8Array, b: Uint8Array) => a.length === HASH_BYTES && Buffer.from(a).equals(Buffer.from(b));

/**
 * RFC 9162 §2.1.3.2: does `proof` show that the leaf whose hash is `leaf` sits at `index` in the
 * tree of `size` leaves whose root is `root`?
 */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): ProofCheck {
  if (!isCount(index) || !isCount(size)) return fail(`leaf index ${index} and tree size ${size} must be whole numbers`);
  if (index >= size) return fail(`leaf index ${index} is not in a tree of ${size} leaves`);
  if (proof.some((hash) => hash.length !== HASH_BYTES)) return fail(`every proof hash must be ${HASH_BYTES} bytes`);
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return fail(`the proof is longer than a tree of ${size} leaves needs`);
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return fail(`the proof is shorter than a tree of ${size} leaves needs`);
  if (!sameHash(r, root)) return fail(`the proof leads to root ${hex(r)}, not to ${hex(root)}`);
  return OK;
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show that the tree of `first` leaves with root `firstRoot` is a
 * prefix of the tree of `second` leaves with root `secondRoot`? Equal sizes need an empty proof
 * and equal roots; an empty first tree is a prefix of every tree.
 */
export function verifyConsistency(first: number, second: number, proof: readonly Uint8Array[], firstRoot: Uint8Array, secondRoot: Uint8Array): ProofCheck {
  if (!isCount(first) || !isCount(second)) return fail(`tree sizes ${first} and ${second} must be whole numbers`);
  if (first > second) return fail(`a tree of ${first} leaves cannot be a prefix of one of ${second}: the log shrank`);
  if (proof.some((hash) => hash.length !== HASH_BYTES)) return fail(`every proof hash must be ${HASH_BYTES} bytes`);
  if (first === second) {
    if (proof.length > 0) return fail('two trees of the same size need an empty proof');
    return sameHash(firstRoot, secondRoot) ? OK : fail(`two trees of ${first} leaves with different roots: the log was rewritten`);
  }
  if (first === 0) return proof.length === 0 ? OK : fail('the empty tree needs an empty proof');
  if (proof.length === 0) return fail('the proof is empty');
  const path = [...proof];
  // step 2: a first tree of 2^k leaves is itself a subtree of the second; its root starts the path
  if (Number.isInteger(Math.log2(first))) path.unshift(Buffer.from(firstRoot));
  let fn = first - 1;
  let sn = second - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (const c of path.slice(1)) {
    if (sn === 0) return fail(`the proof is longer than trees of ${first} and ${second} leaves need`);
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return fail(`the proof is shorter than trees of ${first} and ${second} leaves need`);
  if (!sameHash(fr, firstRoot)) {
    return fail(
      `the proof leads to ${hex(fr)} for the tree of ${first} leaves, not to its root ${hex(firstRoot)}: the log before ${first} was rewritten, or the proof is wrong`,
    );
  }
  if (!sameHash(sr, secondRoot)) return fail(`the proof leads to ${hex(sr)} for the tree of ${second} leaves, not to its root ${hex(secondRoot)}`);
  return OK;
}
