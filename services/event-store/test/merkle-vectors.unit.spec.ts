/**
 * The published reference test vectors of the RFC 6962 / RFC 9162 Merkle tree (Certificate
 * Transparency), run against yingpan's implementation (src/merkle.ts) at the level of leaf bytes:
 * the log's leaves are always 32-byte chain hashes, but `leafHash`, `MemoryTree.append` and the
 * proof functions take leaves of any length, which is what the vectors need. The stored tree
 * (yingpan.merkle_nodes, read by TransparencyLog) is laid out as the same complete subtrees,
 * proven from the same range functions; transparency.int.spec.ts runs the vectors through it.
 *
 * The vectors are data in rfc6962-vectors.ts, with their sources: transparency-dev/merkle
 * `testonly/constants.go` and `proof/verify_test.go` (the successor of
 * google/certificate-transparency-go's and google/trillian's `merkle` packages, which carry the
 * same data). From the latter also: the edge cases of `TestVerifyInclusion`,
 *   `TestVerifyInclusionSingleEntry` and `TestVerifyConsistency`, and the corrupted proofs of
 *   `corruptInclusionProof` and `corruptConsistencyProof`, every one of which must be refused;
 * - `rfc6962/rfc6962_test.go` (commit 78493b07ef9b552e3379abf9e23d4da26fbe797c): the hasher's own
 *   vectors (empty tree, empty leaf, a leaf, a node).
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, MemoryTree, leafHash, nodeHash, perfectSubtrees, rootOf, verifyConsistency, verifyInclusion } from '../src/merkle.ts';
import { COMPACT_TREES, CONSISTENCY_PROOFS, EMPTY_TREE_HASH, INCLUSION_PROOFS, LEAF_INPUTS, NODE_HASHES, ROOT_HASHES, SOME_HASH } from './rfc6962-vectors.ts';

const unhex = (text: string) => Buffer.from(text, 'hex');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const treeOfVectors = () => {
  const tree = new MemoryTree();
  for (const leaf of LEAF_INPUTS) tree.append(leaf);
  return tree;
};

/** corruptInclusionProof's probes: each is a wrong claim that must not verify. */
function corruptInclusion(index: number, size: number, proof: Buffer[], root: Buffer, leaf: Buffer) {
  const probes: { desc: string; index: number; size: number; leaf: Uint8Array; proof: Uint8Array[]; root: Uint8Array }[] = [
    { desc: 'leafIndex - 1', index: index - 1, size, leaf, proof, root },
    { desc: 'leafIndex + 1', index: index + 1, size, leaf, proof, root },
    { desc: 'leafIndex ^ 2', index: index ^ 2, size, leaf, proof, root },
    { desc: 'treeSize * 2', index, size: size * 2, leaf, proof, root },
    { desc: 'treeSize / 2', index, size: Math.floor(size / 2), leaf, proof, root },
    { desc: 'wrong leaf', index, size, leaf: Buffer.from('WrongLeaf'), proof, root },
    { desc: 'empty root', index, size, leaf, proof, root: EMPTY_TREE_HASH },
    { desc: 'random root', index, size, leaf, proof, root: SOME_HASH },
    { desc: 'trailing garbage', index, size, leaf, proof: [...proof, Buffer.alloc(0)], root },
    { desc: 'trailing root', index, size, leaf, proof: [...proof, root], root },
    { desc: 'preceding garbage', index, size, leaf, proof: [Buffer.alloc(0), ...proof], root },
    { desc: 'preceding root', index, size, leaf, proof: [root, ...proof], root },
  ];
  proof.forEach((_, i) => {
    const wrong = proof.map((hash, j) => (j === i ? Buffer.from(hash) : hash));
    wrong[i]![0]! ^= 8;
    probes.push({ desc: `modified proof[${i}] bit 3`, index, size, leaf, proof: wrong, root });
  });
  if (proof.length > 0) probes.push({ desc: 'removed component', index, size, leaf, proof: proof.slice(0, -1), root });
  if (proof.length > 1) probes.push({ desc: 'inserted component', index, size, leaf, proof: [proof[0]!, SOME_HASH, ...proof.slice(1)], root });
  return probes;
}

/** corruptConsistencyProof's probes. */
function corruptConsistency(size1: number, size2: number, root1: Buffer, root2: Buffer, proof: Buffer[]) {
  const wrongRoot = Buffer.from('WrongRoot');
  const probes: { desc: string; size1: number; size2: number; root1: Uint8Array; root2: Uint8Array; proof: Uint8Array[] }[] = [
    { desc: 'size1 - 1', size1: size1 - 1, size2, root1, root2, proof },
    { desc: 'size1 + 1', size1: size1 + 1, size2, root1, root2, proof },
    { desc: 'size1 ^ 2', size1: size1 ^ 2, size2, root1, root2, proof },
    { desc: 'size2 * 2', size1, size2: size2 * 2, root1, root2, proof },
    { desc: 'size2 / 2', size1, size2: Math.floor(size2 / 2), root1, root2, proof },
    { desc: 'wrong root1', size1, size2, root1: wrongRoot, root2, proof },
    { desc: 'wrong root2', size1, size2, root1, root2: wrongRoot, proof },
    { desc: 'swapped roots', size1, size2, root1: root2, root2: root1, proof },
    { desc: 'empty proof', size1, size2, root1, root2, proof: [] },
    { desc: 'trailing garbage', size1, size2, root1, root2, proof: [...proof, Buffer.alloc(0)] },
    { desc: 'trailing root1', size1, size2, root1, root2, proof: [...proof, root1] },
    { desc: 'trailing root2', size1, size2, root1, root2, proof: [...proof, root2] },
    { desc: 'preceding garbage', size1, size2, root1, root2, proof: [Buffer.alloc(0), ...proof] },
    { desc: 'preceding root1', size1, size2, root1, root2, proof: [root1, ...proof] },
    { desc: 'preceding root2', size1, size2, root1, root2, proof: [root2, ...proof] },
    { desc: 'preceding proof[0]', size1, size2, root1, root2, proof: [proof[0]!, ...proof] },
  ];
  if (proof.length > 0) probes.push({ desc: 'truncated proof', size1, size2, root1, root2, proof: proof.slice(0, -1) });
  proof.forEach((_, i) => {
    const wrong = proof.map((hash, j) => (j === i ? Buffer.from(hash) : hash));
    wrong[i]![0]! ^= 16;
    probes.push({ desc: `modified proof[${i}] bit 4`, size1, size2, root1, root2, proof: wrong });
  });
  return probes;
}

describe('the RFC 6962 reference vectors (transparency-dev/merkle)', () => {
  it('hashes as the reference hasher does (rfc6962_test.go)', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(leafHash(Buffer.alloc(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(hex(leafHash(Buffer.from('L123456')))).toBe('395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56');
    expect(hex(nodeHash(Buffer.from('N123'), Buffer.from('N456')))).toBe('aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb');
    // second-preimage resistance and order (TestRFC6962HasherCollisions)
    const [hello, world] = [leafHash(Buffer.from('Hello')), leafHash(Buffer.from('World'))];
    expect(hex(hello)).not.toBe(hex(world));
    expect(hex(nodeHash(hello, world))).not.toBe(hex(leafHash(Buffer.concat([hello, world]))));
    expect(hex(nodeHash(hello, world))).not.toBe(hex(nodeHash(world, hello)));
  });

  it('keeps every complete subtree of the 8-leaf tree as NodeHashes gives it', () => {
    const tree = treeOfVectors();
    NODE_HASHES.forEach((level, l) => {
      level.forEach((hash, i) => expect(hex(tree.subtree({ level: l, index: i })), `node (${l}, ${i})`).toBe(hash));
    });
    expect(() => tree.subtree({ level: 3, index: 1 })).toThrow(RangeError);
  });

  it('gives RootHashes for every size 0 … 8, built from the subtrees CompactTrees names', () => {
    const tree = treeOfVectors();
    for (let n = 0; n <= 8; n++) {
      expect(hex(tree.root(n)), `kept tree, size ${n}`).toBe(ROOT_HASHES[n]);
      expect(hex(rootOf(LEAF_INPUTS.slice(0, n).map(leafHash))), `by definition, size ${n}`).toBe(ROOT_HASHES[n]);
      const parts = n === 0 ? [] : perfectSubtrees({ start: 0, end: n }).map((id) => [id.level, id.index]);
      expect(parts, `compact tree of size ${n}`).toEqual(COMPACT_TREES[n]);
    }
  });

  it('produces each reference inclusion proof, verifies it, and refuses every corruption of it', () => {
    const tree = treeOfVectors();
    expect(() => tree.inclusionProof(-1, 0), 'inclusionProofs[0] is an invalid path').toThrow(RangeError);
    for (const { leaf, size, proof: expected } of INCLUSION_PROOFS.slice(1)) {
      const index = leaf - 1;
      const proof = tree.inclusionProof(index, size);
      expect(proof.map(hex), `leaf ${index} of ${size}`).toEqual(expected);
      const root = unhex(ROOT_HASHES[size]!);
      const hash = leafHash(LEAF_INPUTS[index]!);
      expect(verifyInclusion(hash, index, size, proof, root)).toEqual({ ok: true });
      for (const probe of corruptInclusion(index, size, proof, root, hash)) {
        expect(verifyInclusion(probe.leaf, probe.index, probe.size, probe.proof, probe.root).ok, `leaf ${index} of ${size}: ${probe.desc}`).toBe(false);
      }
    }
  });

  it('refuses the reference edge cases of inclusion (TestVerifyInclusion, TestVerifyInclusionSingleEntry)', () => {
    for (const [index, size] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [2, 1],
    ] as const) {
      expect(verifyInclusion(SOME_HASH, index, size, [], Buffer.alloc(0)).ok, `${index}:${size}`).toBe(false);
      expect(verifyInclusion(Buffer.alloc(0), index, size, [], EMPTY_TREE_HASH).ok, `${index}:${size}`).toBe(false);
      expect(verifyInclusion(SOME_HASH, index, size, [], EMPTY_TREE_HASH).ok, `${index}:${size}`).toBe(false);
    }
    // A one-leaf tree: its root is its leaf hash, and the proof is empty.
    const hash = leafHash(Buffer.from('data'));
    expect(verifyInclusion(hash, 0, 1, [], hash)).toEqual({ ok: true });
    expect(verifyInclusion(Buffer.alloc(0), 0, 1, [], hash).ok).toBe(false);
    expect(verifyInclusion(hash, 0, 1, [], Buffer.alloc(0)).ok).toBe(false);
    expect(verifyInclusion(Buffer.alloc(0), 0, 1, [], Buffer.alloc(0)).ok).toBe(false);
  });

  it('produces each reference consistency proof, verifies it, and refuses every corruption of it', () => {
    const tree = treeOfVectors();
    for (const { size1, size2, proof: expected } of CONSISTENCY_PROOFS) {
      const proof = tree.consistencyProof(size1, size2);
      expect(proof.map(hex), `${size1} → ${size2}`).toEqual(expected);
      const [root1, root2] = [unhex(ROOT_HASHES[size1]!), unhex(ROOT_HASHES[size2]!)];
      expect(verifyConsistency(size1, size2, proof, root1, root2)).toEqual({ ok: true });
      if (proof.length === 0) continue; // as the reference: only proofs with something to corrupt
      for (const probe of corruptConsistency(size1, size2, root1, root2, proof)) {
        expect(verifyConsistency(probe.size1, probe.size2, probe.proof, probe.root1, probe.root2).ok, `${size1} → ${size2}: ${probe.desc}`).toBe(false);
      }
    }
  });

  it('answers the reference edge cases of consistency (TestVerifyConsistency)', () => {
    // The reference's "don't care" roots are 12 bytes; yingpan refuses any root that is not a
    // 32-byte SHA-256, even two equal ones, so they are 32 bytes here — and the short ones are refused.
    const [root1, root2] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    const cases: [number, number, Buffer, Buffer, Buffer[], boolean][] = [
      [0, 0, root1, root2, [], false],
      [1, 1, root1, root2, [], false],
      // sizes that are always consistent
      [0, 0, root1, root1, [], true],
      [0, 1, root1, root2, [], true],
      [1, 1, root2, root2, [], true],
      // time travel to the past
      [1, 0, root1, root2, [], false],
      [2, 1, root1, root2, [], false],
      // empty proof
      [1, 2, root1, root2, [], false],
      // roots do not match
      [0, 0, EMPTY_TREE_HASH, root2, [], false],
      [1, 1, EMPTY_TREE_HASH, root2, [], false],
      // roots match but the proof is not empty
      [0, 0, EMPTY_TREE_HASH, EMPTY_TREE_HASH, [EMPTY_TREE_HASH], false],
      [0, 1, EMPTY_TREE_HASH, EMPTY_TREE_HASH, [EMPTY_TREE_HASH], false],
      [1, 1, EMPTY_TREE_HASH, EMPTY_TREE_HASH, [EMPTY_TREE_HASH], false],
    ];
    for (const [size1, size2, r1, r2, proof, ok] of cases) {
      expect(verifyConsistency(size1, size2, proof, r1, r2).ok, `${size1} → ${size2}`).toBe(ok);
    }
    const short = Buffer.from("don't care 1");
    expect(verifyConsistency(1, 1, [], short, short).ok).toBe(false);
  });
});
