/**
 * The Merkle tree of RFC 9162 §2.1 (the published reference vectors: merkle-vectors.unit.spec.ts):
 * a naive implementation written straight from the RFC's
 * recursive definitions to cross-check every proof of every tree up to 40 leaves, and a property
 * over random logs of 1…2,000 leaves: every proof verifies, and one changed byte in a leaf, a
 * proof hash or a root is refused.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryTree, consistencyRanges, inclusionRanges, leafHash, perfectSubtrees, verifyConsistency, verifyInclusion } from '../src/merkle.ts';
import { LEAF_INPUTS } from './rfc6962-vectors.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const LEAVES = LEAF_INPUTS;

// --- A naive implementation, straight from RFC 9162 §2.1's recursive definitions, over the data. ---
const sha = (...parts: Uint8Array[]) => parts.reduce((hash, part) => hash.update(part), createHash('sha256')).digest();
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
function mth(d: Uint8Array[]): Buffer {
  if (d.length === 0) return sha();
  if (d.length === 1) return sha(Buffer.from([0]), d[0]!);
  return sha(Buffer.from([1]), mth(d.slice(0, k(d.length))), mth(d.slice(k(d.length))));
}
function path(m: number, d: Uint8Array[]): Buffer[] {
  if (d.length === 1) return [];
  const split = k(d.length);
  return m < split ? [...path(m, d.slice(0, split)), mth(d.slice(split))] : [...path(m - split, d.slice(split)), mth(d.slice(0, split))];
}
function subproof(m: number, d: Uint8Array[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const split = k(d.length);
  return m <= split ? [...subproof(m, d.slice(0, split), b), mth(d.slice(split))] : [...subproof(m - split, d.slice(split), false), mth(d.slice(0, split))];
}

const treeOf = (data: Uint8Array[]) => {
  const tree = new MemoryTree();
  for (const item of data) tree.append(item);
  return tree;
};

describe('the Merkle tree of RFC 9162 §2.1', () => {
  it('agrees with the naive implementation on every root and proof of every tree up to 40 leaves', () => {
    const data = Array.from({ length: 40 }, (_, i) => Buffer.from([i, (i * 7) % 256, 0x5a]));
    const tree = treeOf(data);
    for (let n = 1; n <= data.length; n++) {
      const d = data.slice(0, n);
      const root = tree.root(n);
      expect(hex(root)).toBe(hex(mth(d)));
      for (let m = 0; m < n; m++) {
        const proof = tree.inclusionProof(m, n);
        expect(proof.map(hex), `PATH(${m}, D[${n}])`).toEqual(path(m, d).map(hex));
        expect(verifyInclusion(leafHash(d[m]!), m, n, proof, root)).toEqual({ ok: true });
      }
      for (let m = 1; m <= n; m++) {
        const proof = tree.consistencyProof(m, n);
        expect(proof.map(hex), `PROOF(${m}, D[${n}])`).toEqual(m === n ? [] : subproof(m, d, true).map(hex));
        expect(verifyConsistency(m, n, proof, tree.root(m), root)).toEqual({ ok: true });
      }
    }
  });

  it('splits every range a proof needs into aligned complete subtrees', () => {
    expect(perfectSubtrees({ start: 0, end: 7 })).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(perfectSubtrees({ start: 8, end: 16 })).toEqual([{ level: 3, index: 1 }]);
    expect(inclusionRanges(5, 8)).toEqual([
      { start: 4, end: 5 },
      { start: 6, end: 8 },
      { start: 0, end: 4 },
    ]);
    expect(consistencyRanges(3, 3)).toEqual([]);
  });

  it('refuses what is not a proof, naming what failed', () => {
    const tree = treeOf(LEAVES);
    const root = tree.root(8);
    const proof = tree.inclusionProof(5, 8);
    expect(() => tree.inclusionProof(8, 8)).toThrow('leaf index 8 is not in a tree of 8 leaves');
    expect(() => inclusionRanges(3, 2)).toThrow(RangeError);
    expect(() => tree.consistencyProof(3, 9)).toThrow('the tree has 8 leaves, not 9');
    expect(verifyInclusion(leafHash(LEAVES[5]!), 8, 8, proof, root)).toEqual({ ok: false, reason: 'leaf index 8 is not in a tree of 8 leaves' });
    expect(verifyInclusion(leafHash(LEAVES[5]!), 5, 8, proof.slice(0, 2), root)).toMatchObject({ ok: false, reason: expect.stringContaining('shorter') });
    expect(verifyInclusion(leafHash(LEAVES[5]!), 5, 8, [...proof, proof[0]!], root)).toMatchObject({ ok: false, reason: expect.stringContaining('longer') });
    expect(verifyInclusion(leafHash(LEAVES[4]!), 5, 8, proof, root)).toMatchObject({ ok: false, reason: expect.stringContaining('leads to root') });
    expect(verifyConsistency(8, 6, [], root, tree.root(6))).toMatchObject({ ok: false, reason: expect.stringContaining('shrank') });
    expect(verifyConsistency(6, 6, [], tree.root(5), tree.root(6))).toMatchObject({ ok: false, reason: expect.stringContaining('rewritten') });
    expect(verifyConsistency(6, 8, [], tree.root(6), root)).toEqual({ ok: false, reason: 'the proof is empty' });
    expect(verifyConsistency(6, 8, tree.consistencyProof(6, 8), tree.root(5), root)).toMatchObject({ ok: false, reason: expect.stringContaining('rewritten') });
  });

  it('property: in random logs of 1 … 2,000 leaves every proof verifies, and one changed byte of a leaf, a proof or a root fails', () => {
    const flip = (bytes: Uint8Array, at: number, bit: number) => {
      const copy = Buffer.from(bytes);
      copy[at % copy.length]! ^= 1 << bit;
      return copy;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (size, seed, pickA, pickB, bit) => {
          const tree = new MemoryTree();
          for (let i = 0; i < size; i++) tree.append(sha(Buffer.from(`${seed}:${i}`)));
          const index = pickA % size;
          const first = 1 + (pickB % size);
          const root = tree.root();
          const leaf = tree.subtree({ level: 0, index });
          const inclusion = tree.inclusionProof(index, size);
          expect(verifyInclusion(leaf, index, size, inclusion, root)).toEqual({ ok: true });
          expect(verifyInclusion(flip(leaf, pickB, bit), index, size, inclusion, root).ok).toBe(false);
          expect(verifyInclusion(leaf, index, size, inclusion, flip(root, pickA, bit)).ok).toBe(false);
          if (inclusion.length > 0) {
            const at = pickB % inclusion.length;
            const changed = inclusion.map((hash, i) => (i === at ? flip(hash, pickA, bit) : hash));
            expect(verifyInclusion(leaf, index, size, changed, root).ok).toBe(false);
          }
          const firstRoot = tree.root(first);
          const consistency = tree.consistencyProof(first, size);
          expect(verifyConsistency(first, size, consistency, firstRoot, root)).toEqual({ ok: true });
          expect(verifyConsistency(first, size, consistency, flip(firstRoot, pickA, bit), root).ok).toBe(false);
          expect(verifyConsistency(first, size, consistency, firstRoot, flip(root, pickB, bit)).ok).toBe(false);
          if (consistency.length > 0) {
            const at = pickA % consistency.length;
            const changed = consistency.map((hash, i) => (i === at ? flip(hash, pickB, bit) : hash));
            expect(verifyConsistency(first, size, changed, firstRoot, root).ok).toBe(false);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
