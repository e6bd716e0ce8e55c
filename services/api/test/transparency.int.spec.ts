/**
 * Checkpoints and proofs through GraphQL: the public reads checkpoints and the key, auditors and
 * administrators issue checkpoints and get proofs that verify offline against them, other roles
 * are refused, and bad requests are refused with a code naming what failed.
 */
import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { leafHash, openCheckpoint, verifierFromKey, verifyConsistency, verifyInclusion } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { graphqlClient, tokenFor } from './graphql-client.ts';

const unhex = (hashes: string[]) => hashes.map((hash) => Buffer.from(hash, 'hex'));

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`checkpoints and proofs through GraphQL on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    let token: string | null = null;
    const gql = graphqlClient(
      () => yoga,
      () => token,
    );

    const append = async (count: number) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const id = randomUUID();
        ids.push(id);
        await runtime.store.append({
          streamId: `training:${randomUUID()}`,
          expectedVersion: 'no_stream',
          events: [
            {
              id,
              type: 'Noted',
              schemaVersion: 1,
              data: { i },
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
      return ids;
    };

    const ISSUE = /* GraphQL */ `mutation { issueCheckpoint { issued checkpoint { id treeSize rootHash note keyName keyId } } }`;
    const KEY = /* GraphQL */ `{ checkpointPublicKey { name keyId publicKey verifierKey origin } latestCheckpoint { treeSize } checkpoints { treeSize } }`;
    const INCLUSION = /* GraphQL */ `
      query ($eventId: ID, $position: Int, $treeSize: Int) {
        inclusionProof(eventId: $eventId, position: $position, treeSize: $treeSize) {
          position leafIndex treeSize eventId eventHash hashes rootHash event { id hash } checkpoint { note }
        }
      }`;
    const CONSISTENCY = /* GraphQL */ `
      query ($from: Int!, $to: Int) {
        consistencyProof(from: $from, to: $to) { fromSize toSize fromRoot toRoot hashes fromCheckpoint { note } toCheckpoint { note } }
      }`;

    beforeAll(async () => {
      testDb = await target.open();
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      yoga = createApp(runtime);
    });
    afterAll(async () => {
      await runtime?.close();
      await testDb?.dispose();
    });

    it('the public reads the key, the checkpoints and consistency proofs, and may neither issue one nor ask for inclusion proofs', async () => {
      token = null;
      const answer = await gql(KEY);
      expect(answer.errors).toBeUndefined();
      const key = answer.data.checkpointPublicKey;
      expect(key.verifierKey).toBe(`${key.name}+${key.keyId}+${Buffer.concat([Buffer.from([1]), Buffer.from(key.publicKey, 'base64')]).toString('base64')}`);
      expect(verifierFromKey(key.verifierKey).name).toBe(key.name);
      expect(answer.data.latestCheckpoint).toBeNull();
      expect(answer.data.checkpoints).toEqual([]);
      expect((await gql(ISSUE)).errors?.[0]?.extensions?.code).toBe('unauthenticated');
      expect((await gql(INCLUSION, { position: 1 })).errors?.[0]?.extensions?.code).toBe('unauthenticated');
      // A consistency proof holds only the tree's hashes: open to everyone, as checkpoints are, so a witness can check the log only grew.
      const consistency = await gql(CONSISTENCY, { from: 0 });
      expect(['unauthenticated', 'forbidden']).not.toContain(consistency.errors?.[0]?.extensions?.code);
      token = await tokenFor(runtime, 'staff');
      expect((await gql(INCLUSION, { position: 1 })).errors?.[0]?.extensions?.code).toBe('forbidden');
      expect((await gql(ISSUE)).errors?.[0]?.extensions?.code).toBe('forbidden');
    });

    it('an auditor issues checkpoints; inclusion and consistency proofs verify against them with the published key alone', async () => {
      token = await tokenFor(runtime, 'auditor');
      const ids = await append(7);
      const verifier = verifierFromKey((await gql(KEY)).data.checkpointPublicKey.verifierKey);
      const first = (await gql(ISSUE)).data.issueCheckpoint;
      expect(first.issued).toBe(true);
      expect((await gql(ISSUE)).data.issueCheckpoint).toEqual({ ...first, issued: false });
      const older = openCheckpoint(first.checkpoint.note, [verifier], runtime.transparency.origin);
      expect(older.treeSize).toBe(7);

      // By id, against the latest checkpoint by default.
      const proof = (await gql(INCLUSION, { eventId: ids[3] })).data.inclusionProof;
      expect(proof).toMatchObject({ position: 4, leafIndex: 3, treeSize: 7, eventId: ids[3], event: { id: ids[3] } });
      expect(proof.event.hash).toBe(proof.eventHash);
      expect(proof.checkpoint.note).toBe(first.checkpoint.note);
      expect(verifyInclusion(leafHash(Buffer.from(proof.eventHash, 'hex')), proof.leafIndex, older.treeSize, unhex(proof.hashes), older.rootHash)).toEqual({
        ok: true,
      });

      await append(5);
      const second = (await gql(ISSUE)).data.issueCheckpoint;
      const newer = openCheckpoint(second.checkpoint.note, [verifier], runtime.transparency.origin);
      expect(newer.treeSize).toBe(12);
      const consistency = (await gql(CONSISTENCY, { from: 7, to: 12 })).data.consistencyProof;
      expect(consistency.fromCheckpoint.note).toBe(first.checkpoint.note);
      expect(consistency.toCheckpoint.note).toBe(second.checkpoint.note);
      expect(verifyConsistency(older.treeSize, newer.treeSize, unhex(consistency.hashes), older.rootHash, newer.rootHash)).toEqual({ ok: true });
      const byPosition = (await gql(INCLUSION, { position: 10 })).data.inclusionProof;
      expect(verifyInclusion(leafHash(Buffer.from(byPosition.eventHash, 'hex')), 9, 12, unhex(byPosition.hashes), newer.rootHash)).toEqual({ ok: true });

      token = null;
      expect((await gql(KEY)).data.checkpoints).toEqual([{ treeSize: 12 }, { treeSize: 7 }]);
    });

    it('refuses a position past the tree, an unknown event and a range the wrong way round, naming what failed', async () => {
      token = await tokenFor(runtime, 'admin');
      const past = await gql(INCLUSION, { position: 99 });
      expect(past.errors?.[0]).toMatchObject({ message: 'position 99 is past the tree of 12 leaves', extensions: { code: 'past-the-tree' } });
      const sized = await gql(INCLUSION, { position: 3, treeSize: 40 });
      expect(sized.errors?.[0]).toMatchObject({ message: 'tree size 40 is past the tree: it has 12 leaves (events)', extensions: { code: 'past-the-tree' } });
      expect((await gql(INCLUSION, { eventId: randomUUID() })).errors?.[0]?.extensions?.code).toBe('not-found');
      expect((await gql(INCLUSION, {})).errors?.[0]?.extensions?.code).toBe('invalid-arguments');
      expect((await gql(CONSISTENCY, { from: 12, to: 7 })).errors?.[0]?.extensions?.code).toBe('invalid-range');
    });
  });
}
