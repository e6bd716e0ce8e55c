/**
 * The log's Merkle tree and signed checkpoints on PGlite and PostgreSQL: the tree kept by the
 * database as events are appended equals the RFC 9162 tree of the events' chain hashes, every
 * inclusion and consistency proof read from it verifies, checkpoints are signed notes that open
 * with the published key, bad requests are refused by name — and a log rewritten behind the
 * store's back, with every chain hash recomputed so that `verify` passes, is caught by the
 * checkpoint kept before.
 */
import { everyEngine } from '@yingpan/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashOf } from '../src/hash.ts';
import { MemoryTree, leafHash, verifyConsistency, verifyInclusion } from '../src/merkle.ts';
import { generateSignerKey, openCheckpoint, signerFromKey, verifierFromKey, verifierKeyOf } from '../src/note.ts';
import { TransparencyError, TransparencyLog } from '../src/transparency.ts';
import type { StoredEvent } from '../src/types.ts';
import { newEvent, streamOf } from './contract.ts';
import { insertLegacyRows } from './legacy.ts';
import { CONSISTENCY_PROOFS, NODE_HASHES, ROOT_HASHES } from './rfc6962-vectors.ts';
import { openSqlStore, type SqlStoreUnderTest } from './sql-harness.ts';

const ORIGIN = 'yingpan.test/county-record';
const signer = signerFromKey(generateSignerKey(ORIGIN));
const verifier = verifierFromKey(verifierKeyOf(signer));

const refused = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(TransparencyError);
    return { failure: (error as TransparencyError).failure, message: (error as Error).message };
  }
  throw new Error('expected a refusal');
};

for (const target of everyEngine) {
  describe.skipIf(target.skipReason !== null)(`the log's Merkle tree and checkpoints on ${target.name}`, () => {
    let subject: SqlStoreUnderTest;
    let tree: TransparencyLog;

    const allEvents = async () => {
      const events: StoredEvent[] = [];
      for (
        let page = await subject.store.readAll({ after: 0, limit: 1000 });
        page.length > 0;
        page = await subject.store.readAll({ after: page.at(-1)!.position, limit: 1000 })
      ) {
        events.push(...page);
      }
      return events;
    };
    const expectedTree = async () => {
      const memory = new MemoryTree();
      for (const event of await allEvents()) memory.append(Buffer.from(event.hash, 'hex'));
      return memory;
    };
    const appendSome = async (count: number) => {
      // single appends (some at once, one group commit) and a many-stream append
      await Promise.all(
        Array.from({ length: Math.ceil(count / 2) }, () => subject.store.append({ streamId: streamOf(), expectedVersion: 'no_stream', events: [newEvent()] })),
      );
      const rest = count - Math.ceil(count / 2);
      if (rest > 0) {
        await subject.store.appendMany(
          [
            {
              streamId: streamOf('person'),
              expectedVersion: 'no_stream' as const,
              events: Array.from({ length: Math.ceil(rest / 2) }, () => newEvent('PersonRegistered')),
            },
            {
              streamId: streamOf('station'),
              expectedVersion: 'no_stream' as const,
              events: Array.from({ length: Math.floor(rest / 2) }, () => newEvent('StationOpened')),
            },
          ].filter((request) => request.events.length > 0),
        );
      }
    };

    beforeAll(async () => {
      subject = await openSqlStore(target);
      tree = new TransparencyLog(subject.testDb.db);
    });
    afterAll(async () => {
      await subject?.dispose();
    });

    it('is kept as events are appended, equals the RFC 9162 tree of the chain hashes, and every proof from it verifies', async () => {
      expect(await tree.size()).toBe(0);
      expect((await tree.root()).root.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      for (const batch of [1, 2, 5, 9, 20]) {
        await appendSome(batch);
        const head = await subject.store.head();
        expect(await tree.size()).toBe(head.position);
      }
      const memory = await expectedTree();
      const size = memory.size;
      expect(size).toBe(37);
      for (let n = 0; n <= size; n++) expect((await tree.root(n)).root.equals(memory.root(n)), `root of ${n}`).toBe(true);
      const events = await allEvents();
      for (const event of events) {
        for (const treeSize of [event.position, size]) {
          const proof = await tree.inclusionProof(event.position, treeSize);
          expect(proof.eventHash).toBe(event.hash);
          expect(proof.hashes.map((hash) => hash.toString('hex'))).toEqual(
            memory.inclusionProof(event.position - 1, treeSize).map((hash) => hash.toString('hex')),
          );
          expect(verifyInclusion(leafHash(Buffer.from(event.hash, 'hex')), event.position - 1, treeSize, proof.hashes, memory.root(treeSize))).toEqual({
            ok: true,
          });
        }
      }
      for (let from = 0; from <= size; from += 3) {
        for (const to of [from, Math.min(size, from + 5), size]) {
          const proof = await tree.consistencyProof(from, to);
          expect(verifyConsistency(from, to, proof.hashes, memory.root(from), memory.root(to)), `${from} → ${to}`).toEqual({ ok: true });
        }
      }
    });

    it('issues signed checkpoints that open with the published key, keeps every one, and skips a tree that has not grown', async () => {
      const first = await tree.issueCheckpoint(signer, ORIGIN);
      expect(first.issued).toBe(true);
      const opened = openCheckpoint(first.checkpoint.note, [verifier], ORIGIN);
      expect(opened.treeSize).toBe(await tree.size());
      expect(opened.rootHash.equals((await tree.root()).root)).toBe(true);
      expect(first.checkpoint).toMatchObject({ keyName: ORIGIN, keyId: signer.keyId.toString('hex'), treeSize: opened.treeSize });
      const again = await tree.issueCheckpoint(signer, ORIGIN);
      expect(again).toEqual({ checkpoint: first.checkpoint, issued: false });

      await appendSome(6);
      const second = await tree.issueCheckpoint(signer, ORIGIN);
      expect(second.checkpoint.treeSize).toBe(first.checkpoint.treeSize + 6);
      expect((await tree.checkpoints()).map((checkpoint) => checkpoint.treeSize)).toEqual([second.checkpoint.treeSize, first.checkpoint.treeSize]);
      expect(await tree.latestCheckpoint()).toEqual(second.checkpoint);
      expect(await tree.checkpointAt(first.checkpoint.treeSize)).toEqual(first.checkpoint);
      // An outsider holding the first checkpoint checks the second against it.
      const proof = await tree.consistencyProof(first.checkpoint.treeSize, second.checkpoint.treeSize);
      const older = openCheckpoint(first.checkpoint.note, [verifier], ORIGIN);
      const newer = openCheckpoint(second.checkpoint.note, [verifier], ORIGIN);
      expect(verifyConsistency(older.treeSize, newer.treeSize, proof.hashes, older.rootHash, newer.rootHash)).toEqual({ ok: true });
      expect(await tree.audit()).toEqual({ leaves: newer.treeSize, checkpoints: 2 });
      // The checkpoints table is append-only.
      await expect(subject.testDb.db.query('DELETE FROM yingpan.checkpoints')).rejects.toThrow(/append-only/);
      await expect(subject.testDb.db.query('UPDATE yingpan.merkle_nodes SET hash = hash')).rejects.toThrow(/append-only/);
    });

    it('refuses a position or size past the tree and a range the wrong way round, naming what failed', async () => {
      const size = await tree.size();
      expect(await refused(tree.inclusionProof(size + 1))).toEqual({
        failure: 'past-the-tree',
        message: `position ${size + 1} is past the tree of ${size} leaves`,
      });
      expect(await refused(tree.inclusionProof(10, 5))).toEqual({
        failure: 'past-the-tree',
        message: `position 10 is past the tree of 5 leaves (the whole tree has ${size})`,
      });
      expect(await refused(tree.inclusionProof(1, size + 3))).toEqual({
        failure: 'past-the-tree',
        message: `tree size ${size + 3} is past the tree: it has ${size} leaves (events)`,
      });
      expect(await refused(tree.inclusionProof(0))).toMatchObject({ failure: 'invalid-range' });
      expect(await refused(tree.consistencyProof(9, 4))).toMatchObject({
        failure: 'invalid-range',
        message: expect.stringContaining('from the smaller to the larger'),
      });
      expect(await refused(tree.consistencyProof(2, size + 1))).toMatchObject({ failure: 'past-the-tree' });
    });

    it('events written with the triggers off join the tree at the next catch-up', async () => {
      const before = await tree.size();
      await subject.testDb.db.transaction(async (tx) => {
        await tx.query('SET LOCAL session_replication_role = replica');
        await insertLegacyRows(tx, [{ version: 2, streamId: streamOf(), streamVersion: 1, event: newEvent(), recordedAt: '2025-01-15T08:00:00.123Z' }]);
      });
      expect(await tree.size()).toBe(before);
      expect(await tree.catchUp()).toBe(before + 1);
      expect(await tree.size()).toBe((await subject.store.head()).position);
    });

    it('a log rewritten behind the store’s back with every chain hash recomputed passes verify, but not the checkpoint kept before', async () => {
      const kept = (await tree.latestCheckpoint())!;
      const outsider = openCheckpoint(kept.note, [verifier], ORIGIN);
      const size = await tree.size();
      const target = 5;

      // Rewrite position 5 and recompute the chain from there, as whoever runs the database could.
      const events = await allEvents();
      let prev = events[target - 2]!.hash;
      const rewritten = events.slice(target - 1).map((event, offset) => {
        const changed = offset === 0 ? { ...event, data: { ...(event.data as object), note: '篡改' } } : event;
        const hash = hashOf(prev, changed);
        const row = { position: event.position, data: changed.data, prevHash: prev, hash };
        prev = hash;
        return row;
      });
      await subject.testDb.db.transaction(async (tx) => {
        await tx.query('SET LOCAL session_replication_role = replica');
        for (const row of rewritten) {
          await tx.query('UPDATE yingpan.events SET data = $1::jsonb, prev_hash = $2, hash = $3 WHERE position = $4', [
            JSON.stringify(row.data),
            row.prevHash,
            row.hash,
            row.position,
          ]);
        }
      });
      expect(await subject.store.verify()).toMatchObject({ ok: true, count: size });

      // The tree still holds the old leaves: a proof for the rewritten event is refused, and the audit names it.
      expect(await refused(tree.inclusionProof(target))).toMatchObject({
        failure: 'rewritten',
        message: expect.stringContaining(`position ${target}: the event's hash`),
      });
      expect(await refused(tree.audit())).toMatchObject({ failure: 'rewritten', message: expect.stringContaining(`position ${target}:`) });

      // The thorough forger rebuilds the tree from the rewritten log too.
      await subject.testDb.db.transaction(async (tx) => {
        await tx.query('SET LOCAL session_replication_role = replica');
        await tx.query('DELETE FROM yingpan.merkle_nodes');
        await tx.query('SELECT yingpan.merkle_catch_up()');
      });
      expect(await tree.size()).toBe(size);
      const forged = await tree.root();
      expect(forged.root.equals(outsider.rootHash)).toBe(false);
      // The server refuses to sign over the rewrite, naming the checkpoint it contradicts.
      expect(await refused(tree.issueCheckpoint(signer, ORIGIN))).toMatchObject({
        failure: 'rewritten',
        message: expect.stringContaining(`the log was rewritten below the checkpoint of size ${kept.treeSize}`),
      });
      expect(await refused(tree.audit())).toMatchObject({ failure: 'rewritten', message: expect.stringContaining(`checkpoint of size ${kept.treeSize}`) });

      // And even with the checkpoints table emptied and a fresh checkpoint signed, the outsider's kept one catches it.
      await subject.testDb.db.transaction(async (tx) => {
        await tx.query('SET LOCAL session_replication_role = replica');
        await tx.query('DELETE FROM yingpan.checkpoints');
      });
      const fresh = openCheckpoint((await tree.issueCheckpoint(signer, ORIGIN)).checkpoint.note, [verifier], ORIGIN);
      const proof = await tree.consistencyProof(outsider.treeSize, fresh.treeSize);
      const check = verifyConsistency(outsider.treeSize, fresh.treeSize, proof.hashes, outsider.rootHash, fresh.rootHash);
      expect(check).toMatchObject({ ok: false, reason: expect.stringContaining(`the log before ${outsider.treeSize} was rewritten`) });
    });
  });
}

for (const target of everyEngine) {
  describe.skipIf(target.skipReason !== null)(`the stored tree's reader and the RFC 6962 reference vectors on ${target.name}`, () => {
    let subject: SqlStoreUnderTest;
    beforeAll(async () => {
      subject = await openSqlStore(target);
    });
    afterAll(async () => {
      await subject?.dispose();
    });

    it('gives the reference roots and consistency proofs from the reference nodes stored as yingpan.merkle_nodes', async () => {
      // The reference tree's complete subtrees (testonly/constants.go NodeHashes), stored as the
      // database stores the log's: (level, idx, hash). Its leaves are not events' chain hashes, so
      // only what reads nodes alone is asked: roots and consistency proofs.
      for (const [level, hashes] of NODE_HASHES.entries()) {
        for (const [idx, hash] of hashes.entries()) {
          await subject.testDb.db.query('INSERT INTO yingpan.merkle_nodes (level, idx, hash) VALUES ($1, $2, $3)', [level, idx, Buffer.from(hash, 'hex')]);
        }
      }
      const tree = new TransparencyLog(subject.testDb.db);
      expect(await tree.size()).toBe(8);
      for (let n = 0; n <= 8; n++) expect((await tree.root(n)).root.toString('hex'), `root of ${n}`).toBe(ROOT_HASHES[n]);
      for (const { size1, size2, proof } of CONSISTENCY_PROOFS) {
        const got = await tree.consistencyProof(size1, size2);
        expect(
          got.hashes.map((hash) => hash.toString('hex')),
          `${size1} → ${size2}`,
        ).toEqual(proof);
      }
      // An inclusion proof also checks the leaf against the event at that position: there is none.
      expect(await refused(tree.inclusionProof(3))).toMatchObject({ failure: 'rewritten' });
    });
  });
}
