/**
 * The Merkle tree of RFC 9162 §2.1: the Certificate Transparency reference vectors (the reference
 * implementation's 8-leaf test data), a naive implementation written straight from the RFC's
 * recursive definitions to cross-check every proof of every tree up to 40 leaves, and a property
 * over random logs of 1…2,000 leaves: every proof verifies, and one changed byte in a leaf, a
 * proof hash or a root is refused.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  MemoryTree,
  consistencyRanges,
  inclusionRanges,
  leafHash,
  perfectSubtrees,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from '../src/merkle.ts';

const unhex = (text: string) => Buffer.from(text, 'hex');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
/** MTH of the first n leaves, n = 0 … 8. */
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
/** The reference inclusion proofs: leaf index (0-based), tree size, path. */
const INCLUSION = [
  { index: 0, size: 1, path: [] },
  {
    index: 0,
    size: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, path: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    path: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];
/** The reference consistency proofs: sizes and path. */
const CONSISTENCY = [
  { first: 1, second: 1, path: [] },
  {
    first: 1,
    second: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    first: 6,
    second: 8,
    path: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    first: 2,
    second: 5,
    path: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'],
  },
];

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
  it('reproduces the Certificate Transparency reference roots for 0 … 8 leaves, by definition and kept as complete subtrees', () => {
    expect(hex(EMPTY_ROOT)).toBe(ROOTS[0]);
    const tree = treeOf(LEAVES);
    for (let n = 0; n <= 8; n++) {
      expect(hex(rootOf(LEAVES.slice(0, n).map(leafHash))), `size ${n}`).toBe(ROOTS[n]);
      expect(hex(mth(LEAVES.slice(0, n))), `naive, size ${n}`).toBe(ROOTS[n]);
      expect(hex(tree.root(n)), `kept, size ${n}`).toBe(ROOTS[n]);
    }
  });

  it('reproduces the reference inclusion proofs, and each verifies against its root', () => {
    const tree = treeOf(LEAVES);
    for (const { index, size, path: expected } of INCLUSION) {
      const proof = tree.inclusionProof(index, size);
      expect(proof.map(hex), `leaf ${index} of ${size}`).toEqual(expected);
      expect(verifyInclusion(leafHash(LEAVES[index]!), index, size, proof, unhex(ROOTS[size]!))).toEqual({ ok: true });
    }
  });

  it('reproduces the reference consistency proofs, and each verifies between its roots', () => {
    const tree = treeOf(LEAVES);
    for (const { first, second, path: expected } of CONSISTENCY) {
      const proof = tree.consistencyProof(first, second);
      expect(proof.map(hex), `${first} → ${second}`).toEqual(expected);
      expect(verifyConsistency(first, second, proof, unhex(ROOTS[first]!), unhex(ROOTS[second]!))).toEqual({ ok: true });
    }
  });

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
