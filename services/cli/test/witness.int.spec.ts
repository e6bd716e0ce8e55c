/**
 * `yingpan witness`: a third party keeps the log's checkpoints and cosigns them while the log only
 * grows, through the public GraphQL API; a rewrite below a checkpoint it kept — chain, tree and
 * checkpoints all recomputed on the server, so that nothing there contradicts it — is refused.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '@yingpan/api';
import { openRuntime, type Runtime } from '@yingpan/api/runtime';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { hashOf, openNote, verifierFromKey, verifierKeyOf, type StoredEvent, type TransparencyLog } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keptCheckpointFile, witness, witnessKey } from '../src/witness.ts';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`yingpan witness on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    let log: TransparencyLog;
    let dir: string;

    const append = async (count: number) => {
      for (let i = 0; i < count; i++) {
        await runtime.store.append({
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
    };
    const issue = () => log.issueCheckpoint(runtime.transparency.signer, runtime.transparency.origin);
    const run = () =>
      witness({
        url: 'http://yoga',
        verifier: verifierFromKey(verifierKeyOf(runtime.transparency.signer)),
        origin: runtime.transparency.origin,
        stateDir: path.join(dir, 'witness'),
        name: 'witness.court.example',
        fetch: ((input: URL | string, init?: RequestInit) => yoga.fetch(new URL(String(input)), init ?? {})) as typeof fetch,
      });

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'yingpan-witness-'));
      testDb = await target.open();
      runtime = await openRuntime(
        { dataDir: 'unused', checkpointKeyFile: path.join(dir, 'checkpoint-key'), checkpointOrigin: 'county.example/record' },
        testDb.db,
      );
      yoga = createApp(runtime);
      log = runtime.transparency.log!;
    });

    afterAll(async () => {
      await runtime.close();
      await testDb.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps the first checkpoint, then cosigns each later one that extends it, with a key of its own', async () => {
      expect(await run()).toEqual({ ok: false, reason: 'the log has issued no checkpoint yet' });
      await append(10);
      await issue();
      const first = await run();
      expect(first).toMatchObject({ ok: true, treeSize: 10, previous: null, message: 'first checkpoint kept: 10 events; cosigned by witness.court.example' });
      await append(5);
      await issue();
      const second = await run();
      expect(second).toMatchObject({ ok: true, treeSize: 15, previous: 10 });
      // The kept note carries the log's signature and the witness's, each checked by its own key.
      const kept = readFileSync(keptCheckpointFile(path.join(dir, 'witness'), runtime.transparency.origin), 'utf8');
      const witnessVerifier = verifierFromKey(witnessKey(path.join(dir, 'witness'), 'witness.court.example'));
      const logVerifier = verifierFromKey(verifierKeyOf(runtime.transparency.signer));
      expect(openNote(kept, [logVerifier, witnessVerifier]).signatures.map((signature) => signature.name)).toEqual([
        'county.example/record',
        'witness.court.example',
      ]);
      // Run again with nothing new: the same tree, cosigned once.
      expect(await run()).toMatchObject({ ok: true, treeSize: 15, previous: 15 });
      expect(readFileSync(keptCheckpointFile(path.join(dir, 'witness'), runtime.transparency.origin), 'utf8')).toBe(kept);
    });

    it('refuses a log rewritten below the checkpoint it kept, though the server signs the rewritten tree', async () => {
      // The forger rewrites position 4, recomputes the chain, rebuilds the tree, forgets the checkpoints and signs anew.
      const events = await runtime.store.readAll({ after: 0, limit: 100 });
      let prev = events[2]!.hash;
      const rows = events.slice(3).map((event: StoredEvent, offset) => {
        const changed = offset === 0 ? { ...event, data: { i: 3, note: '篡改' } } : event;
        const hash = hashOf(prev, changed);
        const row = [JSON.stringify(changed.data), prev, hash, event.position];
        prev = hash;
        return row;
      });
      await testDb.db.transaction(async (tx) => {
        await tx.query('SET LOCAL session_replication_role = replica');
        for (const row of rows) await tx.query('UPDATE yingpan.events SET data = $1::jsonb, prev_hash = $2, hash = $3 WHERE position = $4', row);
        await tx.query('DELETE FROM yingpan.merkle_nodes');
        await tx.query('SELECT yingpan.merkle_catch_up()');
        await tx.query('DELETE FROM yingpan.checkpoints');
      });
      await append(1);
      expect((await issue()).checkpoint.treeSize).toBe(16);
      const caught = await run();
      expect(caught).toMatchObject({ ok: false, treeSize: 16, previous: 15 });
      expect(caught.ok ? '' : caught.reason).toMatch(/does not extend the checkpoint of 15 kept here .*: the log was rewritten/);
      // What the witness keeps is still the last honest checkpoint.
      const kept = readFileSync(keptCheckpointFile(path.join(dir, 'witness'), runtime.transparency.origin), 'utf8');
      expect(kept).toMatch(/^county\.example\/record\n15\n/);
    });
  });
}
