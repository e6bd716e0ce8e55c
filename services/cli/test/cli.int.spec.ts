/**
 * `yingpan verify` and `yingpan token` on the small demo county (appended from the test fixture; moving.int.spec.ts seeds
 * one through `yingpan seed`). The first test runs the real binary (`bin/yingpan.mjs`) in a process of its own for the
 * exit codes a script reads, 0 on a sound log and 1 on a changed byte; the other runs are the same commands in process
 * (`./yingpan.ts`), without the seconds a new process takes to load the CLI.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tokenIssuer } from '@yingpan/api';
import { openDb, type DbConfig } from '@yingpan/db';
import { createTestDatabase, testTargets } from '@yingpan/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededCounty } from './county.ts';
import { spawnYingpan, yingpan } from './yingpan.ts';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`yingpan verify on ${target.name}`, () => {
    let env: Record<string, string>;
    let config: DbConfig;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      if (target.name === 'postgres') {
        const { url, drop } = await createTestDatabase(process.env.DATABASE_URL!);
        env = { DATABASE_URL: url };
        config = { databaseUrl: url, dataDir: 'unused' };
        cleanup = drop;
      } else {
        const dir = mkdtempSync(path.join(tmpdir(), 'yingpan-cli-'));
        env = { YINGPAN_DATA_DIR: path.join(dir, 'pglite') };
        config = { dataDir: env.YINGPAN_DATA_DIR! };
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
      }
      await seededCounty(config);
    });
    afterAll(async () => {
      await cleanup?.();
    });

    it('verifies with exit 0, prints a digest, and names the first changed position with exit 1', async () => {
      const verified = await spawnYingpan(env, 'verify');
      expect(verified.code).toBe(0);
      const [, count, head] = /OK: (\d+) events verified; head position (\d+)/.exec(verified.stdout)!;
      expect(Number(count)).toBeGreaterThan(6);
      expect(head).toBe(count);
      // A log written now is all of the current chain version.
      expect(verified.stdout).toContain(`Chain versions: v3: ${count} events.`);
      const digest = (await yingpan(env, 'verify', '--digest')).stdout.trim();
      expect(digest).toMatch(new RegExp(`^yingpan-digest:v1:${head}:[0-9a-f]{64}$`));
      expect((await yingpan(env, 'verify', '--against', digest)).code).toBe(0);

      /** Runs `sql` as a superuser with the append-only triggers out of the way. */
      const behindTheStoresBack = async (sql: string) => {
        const db = await openDb(config);
        try {
          await db.exec(`ALTER TABLE yingpan.events DISABLE TRIGGER USER; ${sql}; ALTER TABLE yingpan.events ENABLE TRIGGER USER;`);
        } finally {
          await db.close();
        }
      };
      await behindTheStoresBack(`UPDATE yingpan.events SET data = jsonb_set(data, '{name}', '"篡改"') WHERE position = 3`);
      const tampered = await spawnYingpan(env, 'verify');
      expect(tampered.code).toBe(1);
      expect(tampered.stderr).toMatch(/FAILED at position 3 \(hash-mismatch\)/);
      expect(tampered.stderr).toContain('2 events before it verified (chain versions: v3: 2 events).');

      // Issue 20, the auditor's forgery: a name added inside metadata.recordedBy (and, in another row, keys of its own).
      await behindTheStoresBack(`UPDATE yingpan.events SET metadata = jsonb_set(metadata, '{recordedBy,name}', '"伪造者"') WHERE position = 2`);
      const recorder = await yingpan(env, 'verify');
      expect(recorder.code).toBe(1);
      expect(recorder.stderr).toMatch(/FAILED at position 2 \(hash-mismatch\)/);
      await behindTheStoresBack(
        `UPDATE yingpan.events SET metadata = metadata #- '{recordedBy,name}' WHERE position = 2;
         UPDATE yingpan.events SET metadata = metadata || '{"source": "forged.xlsx", "note": "approved by director"}' WHERE position = 1`,
      );
      const keys = await yingpan(env, 'verify');
      expect(keys.code).toBe(1);
      // Chain v3 hashes the whole stored metadata: a key of its own is a changed byte like any other.
      expect(keys.stderr).toMatch(/FAILED at position 1 \(hash-mismatch\): position 1: its content does not match its hash \(a stored byte was changed\)/);
      expect((await yingpan(env, 'verify', '--against', 'nonsense')).code).not.toBe(0);
    });

    it('mints sign-in tokens the API accepts, naming a known person; refuses a missing or unknown person', async () => {
      const secret = { YINGPAN_TOKEN_SECRET: 'a-test-secret-of-at-least-thirty-two-characters' };
      const staff = await yingpan({ ...env, ...secret }, 'token', '--role', 'staff');
      expect(staff.code).toBe(0);
      const actor = await tokenIssuer(new TextEncoder().encode(secret.YINGPAN_TOKEN_SECRET)).verify(staff.stdout.trim());
      expect(actor).toEqual({ role: 'staff', personId: 'staff-local', name: null });

      const db = await openDb(config);
      const { rows } = await db.query<{ personId: string; name: string }>(
        `SELECT data->>'personId' AS "personId", data->>'name' AS name FROM yingpan.events WHERE type = 'PersonRegistered' ORDER BY position LIMIT 1`,
      );
      await db.close();
      const deputy = await yingpan({ ...env, ...secret }, 'token', '--role', 'deputy', '--person', rows[0]!.personId);
      expect(deputy.code).toBe(0);
      expect(await tokenIssuer(new TextEncoder().encode(secret.YINGPAN_TOKEN_SECRET)).verify(deputy.stdout.trim())).toEqual({ role: 'deputy', ...rows[0] });

      const unnamed = await yingpan({ ...env, ...secret }, 'token', '--role', 'deputy');
      expect(unnamed.code).not.toBe(0);
      expect(unnamed.stderr).toMatch(/must name the person/);
      const unknown = await yingpan({ ...env, ...secret }, 'token', '--role', 'deputy', '--person', '00000000-0000-4000-8000-000000000000');
      expect(unknown.stderr).toMatch(/no person/);
      expect((await yingpan({ ...env, ...secret }, 'token', '--role', 'king')).stderr).toMatch(/expected one of/);
      expect((await yingpan({ ...env, YINGPAN_TOKEN_SECRET: 'short' }, 'token', '--role', 'staff')).stderr).toMatch(/at least 32 characters/);
    });

    it('seed refuses a scale it does not know, naming those it does, and writes nothing', async () => {
      const headOf = async () => {
        const db = await openDb(config);
        try {
          return (await db.query<{ head: number }>('SELECT coalesce(max(position), 0)::int AS head FROM yingpan.events')).rows[0]!.head;
        } finally {
          await db.close();
        }
      };
      const before = await headOf();
      const wrong = await yingpan(env, 'seed', '--scale', 'city');
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toMatch(/expected one of small, county, province/);
      expect(await headOf()).toBe(before);
    });
  });
}
