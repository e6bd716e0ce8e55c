/**
 * `yingpan checkpoint`, `prove` and `verify-proof` end to end: proofs printed by one process
 * checked by another with only the published key; every forgery of a checkpoint, a proof or an
 * event refused by name; and a log rewritten behind the store's back — every chain hash and the
 * tree recomputed, the checkpoints table emptied, so that `verify` passes — caught by the
 * checkpoint an outsider kept. `verify` checks the tree against the log and the checkpoints kept.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDb, type DbConfig } from '@yingpan/db';
import { createTestDatabase, testTargets } from '@yingpan/db/testing';
import { SqlEventStore, hashOf, type StoredEvent } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yingpan } from './yingpan.ts';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`yingpan checkpoint, prove and verify-proof on ${target.name}`, () => {
    let dir: string;
    let env: Record<string, string>;
    let config: DbConfig;
    let cleanup: () => Promise<void> = async () => {};
    const file = (name: string, text: string) => {
      const at = path.join(dir, name);
      writeFileSync(at, text);
      return at;
    };
    const withDb = async <T>(work: (db: Awaited<ReturnType<typeof openDb>>) => Promise<T>) => {
      const db = await openDb(config);
      try {
        return await work(db);
      } finally {
        await db.close();
      }
    };
    const append = (count: number) =>
      withDb(async (db) => {
        const store = await SqlEventStore.open(db);
        for (let i = 0; i < count; i++) {
          await store.append({
            streamId: `training:${randomUUID()}`,
            expectedVersion: 'no_stream',
            events: [
              {
                id: randomUUID(),
                type: 'Noted',
                schemaVersion: 1,
                data: { i, note: 'x' },
                metadata: {
                  recordedBy: { personId: 'staff-1', role: 'staff' },
                  occurredAt: '2024-03-01T02:00:00.000Z',
                  correlationId: randomUUID(),
                  causationId: null,
                },
              },
            ],
          });
        }
      });

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'yingpan-proofs-'));
      env = { YINGPAN_CHECKPOINT_KEY_FILE: path.join(dir, 'checkpoint-key'), YINGPAN_CHECKPOINT_ORIGIN: 'county.example/record' };
      if (target.name === 'postgres') {
        const { url, drop } = await createTestDatabase(process.env.DATABASE_URL!);
        env.DATABASE_URL = url;
        config = { databaseUrl: url, dataDir: 'unused' };
        cleanup = drop;
      } else {
        env.YINGPAN_DATA_DIR = path.join(dir, 'pglite');
        config = { dataDir: env.YINGPAN_DATA_DIR };
      }
    });
    afterAll(async () => {
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('prints checkpoints and proofs that verify with the published key alone, and refuses every forgery by name', async () => {
      const key = (await yingpan(env, 'checkpoint', '--public-key')).stdout.trim();
      expect(key).toMatch(/^county\.example\/record\+[0-9a-f]{8}\+/);
      expect((await yingpan(env, 'prove', '--event', '1')).stderr).toMatch(/REFUSED \(not-found\): no event 1 in the log/);
      await append(10);
      expect((await yingpan(env, 'prove', '--event', '1')).stderr).toMatch(/no checkpoint has been issued yet/);
      const issued = await yingpan(env, 'checkpoint');
      expect(issued.code).toBe(0);
      expect(issued.stdout.split('\n').slice(0, 2)).toEqual(['county.example/record', '10']);
      const kept = file('kept-10.txt', issued.stdout);

      const proved = await yingpan(env, 'prove', '--event', '3');
      expect(proved.code).toBe(0);
      const proof = JSON.parse(proved.stdout);
      const proofFile = file('proof.json', proved.stdout);
      const ok = await yingpan({}, 'verify-proof', proofFile, '--key', key);
      expect(ok).toMatchObject({ code: 0 });
      expect(ok.stdout).toMatch(/OK: the event at position 3 \(Noted on training:.*, its content rehashed\) is in the tree of 10 events/);
      const byId = await yingpan(env, 'prove', '--event', proof.event.id);
      expect(JSON.parse(byId.stdout).position).toBe(3);

      const refused = async (name: string, text: string, ...args: string[]) => {
        const result = await yingpan({}, 'verify-proof', file(name, text), '--key', key, ...args);
        expect(result.code, result.stdout).toBe(1);
        return result.stderr;
      };
      const otherKey = (
        await yingpan(
          { YINGPAN_CHECKPOINT_KEY_FILE: path.join(dir, 'other-key'), YINGPAN_CHECKPOINT_ORIGIN: 'county.example/record' },
          'checkpoint',
          '--public-key',
        )
      ).stdout.trim();
      const wrongKey = await yingpan({}, 'verify-proof', proofFile, '--key', otherKey);
      expect(wrongKey.stderr).toMatch(/REFUSED: checkpoint: the note is not signed by the key county\.example\/record\+/);
      expect(await refused('p1.json', proved.stdout, '--origin', 'another.example/log')).toMatch(
        /origin is "county.example\/record", not "another.example\/log"/,
      );
      expect(await refused('p2.json', JSON.stringify({ ...proof, checkpoint: proof.checkpoint.replace('\n10\n', '\n11\n'), treeSize: 11 }))).toMatch(
        /checkpoint: the signature by county\.example\/record\+[0-9a-f]{8} does not verify/,
      );
      const flipped = proof.hashes[0].replace(/^./, (c: string) => (c === '0' ? '1' : '0'));
      expect(await refused('p3.json', JSON.stringify({ ...proof, hashes: [flipped, ...proof.hashes.slice(1)] }))).toMatch(
        /REFUSED: inclusion: the proof leads to root/,
      );
      expect(await refused('p4.json', JSON.stringify({ ...proof, event: { ...proof.event, data: { i: 2, note: '篡改' } } }))).toMatch(
        /its content was changed/,
      );
      expect(await refused('p5.json', JSON.stringify({ ...proof, position: 12 }))).toMatch(/position 12 is past the checkpoint’s tree of 10 events/);

      // An event after the latest checkpoint; then a newer checkpoint and the proof that it extends the kept one.
      await append(5);
      expect((await yingpan(env, 'prove', '--event', '12')).stderr).toMatch(/REFUSED \(past-the-tree\): position 12 is past the checkpoint of 10 events/);
      expect((await yingpan(env, 'checkpoint')).code).toBe(0);
      const consistency = await yingpan(env, 'prove', '--from', '10');
      expect(consistency.code).toBe(0);
      const extended = await yingpan({}, 'verify-proof', file('c.json', consistency.stdout), '--key', key, '--checkpoint', kept);
      expect(extended.stdout).toMatch(/OK: the tree of 15 events extends the checkpoint of 10/);
      expect((await yingpan(env, 'prove', '--event', '12')).code).toBe(0);
      expect((await yingpan(env, 'verify')).stdout).toContain('Merkle tree: 15 leaves match the log; 2 checkpoints kept still hold.');
    });

    it('a log rewritten with every chain hash recomputed keeps the chain whole, but the tree, the server and the checkpoint an outsider kept refuse it', async () => {
      const key = (await yingpan(env, 'checkpoint', '--public-key')).stdout.trim();
      const kept = file('kept-15.txt', (await yingpan(env, 'checkpoint', '--latest')).stdout);
      expect(kept).toBeTruthy();
      // The forger rewrites position 4, recomputes the chain from there and, at first, leaves the tree alone.
      await withDb(async (db) => {
        const store = new SqlEventStore(db);
        const events = await store.readAll({ after: 0, limit: 100 });
        let prev = events[2]!.hash;
        const rows = events.slice(3).map((event: StoredEvent, offset) => {
          const changed = offset === 0 ? { ...event, data: { i: 3, note: '篡改' } } : event;
          const hash = hashOf(prev, changed);
          const row = [JSON.stringify(changed.data), prev, hash, event.position];
          prev = hash;
          return row;
        });
        await db.transaction(async (tx) => {
          await tx.query('SET LOCAL session_replication_role = replica');
          for (const row of rows) await tx.query('UPDATE yingpan.events SET data = $1::jsonb, prev_hash = $2, hash = $3 WHERE position = $4', row);
        });
      });
      // The chain holds; the tree does not.
      const verified = await yingpan(env, 'verify');
      expect(verified.code).toBe(1);
      expect(verified.stderr).toMatch(/FAILED \(Merkle tree, rewritten\): position 4: the event's hash is not the leaf the tree holds/);
      expect(verified.stderr).toContain('The hash chain holds (15 events)');
      expect((await yingpan(env, 'prove', '--event', '4')).stderr).toMatch(
        /REFUSED \(rewritten\): position 4: the event's hash .* is not the leaf the tree holds/,
      );

      // Then rebuilds the tree from the rewritten log: the server refuses to sign over the checkpoint it contradicts.
      await withDb((db) =>
        db.transaction(async (tx) => {
          await tx.query('SET LOCAL session_replication_role = replica');
          await tx.query('DELETE FROM yingpan.merkle_nodes');
          await tx.query('SELECT yingpan.merkle_catch_up()');
        }),
      );
      await append(1);
      const refused = await yingpan(env, 'checkpoint');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/REFUSED \(rewritten\): the log was rewritten below the checkpoint of size 15/);
      expect((await yingpan(env, 'verify')).stderr).toMatch(
        /FAILED \(Merkle tree, rewritten\): the checkpoint of size 15 issued .* no longer matches the tree/,
      );

      // And with the checkpoints emptied too, a fresh checkpoint is signed — but the outsider's kept one refuses it.
      await withDb((db) =>
        db.transaction(async (tx) => {
          await tx.query('SET LOCAL session_replication_role = replica');
          await tx.query('DELETE FROM yingpan.checkpoints');
        }),
      );
      expect((await yingpan(env, 'checkpoint')).code).toBe(0);
      expect((await yingpan(env, 'verify')).code).toBe(0); // nothing on the server contradicts the rewrite any more
      const proof = await yingpan(env, 'prove', '--from', '15');
      expect(proof.code).toBe(0);
      const unsigned = await yingpan({}, 'verify-proof', file('c2.json', proof.stdout), '--key', key);
      expect(unsigned.stderr).toMatch(/REFUSED: the proof carries no checkpoint of 15 events: give the one you kept/);
      const caught = await yingpan({}, 'verify-proof', file('c2.json', proof.stdout), '--key', key, '--checkpoint', kept);
      expect(caught.code).toBe(1);
      expect(caught.stderr).toMatch(
        /REFUSED: consistency: the proof leads to [0-9a-f]{64} for the tree of 15 leaves, not to its root [0-9a-f]{64}: the log before 15 was rewritten/,
      );
    });
  });
}
