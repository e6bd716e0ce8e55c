/**
 * Scenario 3: tampering behind the store's back.
 *
 * Every corruption gets its own copy of the suite's seeded small county. As a superuser with the append-only triggers out of the way
 * (`SET session_replication_role = replica`, or `ALTER TABLE … DISABLE TRIGGER USER`), each copy
 * is damaged in one way: a changed byte of an event's data, a changed recorder, a deleted row, two
 * rows swapped, a changed hash, a changed link, an event rewritten with its own hash recomputed,
 * the tail cut off, and history rewritten with every later hash recomputed. Then `store.verify()`
 * must find it and name the position, and so must the auditor's command (`yingpan verify`, run as a
 * process: exit 1 and the first failing position named) for the changed data, the deleted row, the
 * swapped rows, the changed hash, the cut tail and the re-hashed history. The last two leave a valid but different chain: only a digest kept
 * earlier (`yingpan verify --digest`, then `--against`) finds them.
 *
 * Probes beyond the hash (reported, not counted as corruptions): a row whose metadata is no longer
 * the shape the store reads, and byte changes the store never reads (an extra metadata key, a
 * timestamp moved by a microsecond), which verify finds by looking at the stored rows.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { postgresDb, type Db } from '@yingpan/db';
import { hashOf, formatDigest, SqlEventStore, type StoredEvent, type VerifyFailureKind } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { copyDatabase, DATABASE_URL, figure, rows, urlOf } from './support.ts';

const CLI = fileURLToPath(new URL('../../cli/bin/yingpan.mjs', import.meta.url));

/** Runs `yingpan <args>` on the database at `url`. */
async function yingpan(url: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      env: { ...process.env, DATABASE_URL: url },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function pooled<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

interface Corruption {
  name: string;
  /** SQL run as superuser with the triggers bypassed (`$P` is replaced by the position). */
  sql: (events: StoredEvent[]) => string;
  /** How the triggers are bypassed. */
  bypass: 'replica' | 'disable-trigger';
  /** What verification must report: the kind and position of the first failure. */
  expected: (events: StoredEvent[]) => { kind: VerifyFailureKind; position: number };
  /** Only a digest kept earlier finds it: a plain verify passes. */
  digestOnly?: boolean;
  /**
   * Also run `yingpan verify` on it (default). The command starts slowly (it loads the whole API), so
   * the variants beyond the five named in the brief are checked through store.verify() only — the
   * code the command runs.
   */
  viaCli?: boolean;
}

/** Positions in the middle of the seeded log, chosen at random each run. */
const somewhere = (events: StoredEvent[]) => 100 + Math.floor(Math.random() * (events.length - 300));

describe('scenario 3: tampering behind the store’s back', () => {
  const admin = postgresDb({ connectionString: DATABASE_URL, max: 2 });
  const databases: string[] = [];
  afterAll(async () => {
    for (const name of databases.reverse())
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((error) => console.error('[faults] drop failed:', error));
    await admin.close();
  });

  const createDatabase = async (template?: string) => {
    const name = `yingpan_t_faults_${randomBytes(5).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
    databases.push(name);
    return name;
  };

  /** The seeded county; nothing stays connected to it, so it can be copied. */
  let template: string;
  const events: StoredEvent[] = [];
  let digest: string;

  beforeAll(async () => {
    // A copy of the suite's seeded county of our own (the auditor's command below connects to it).
    const own = await copyDatabase(inject('countyTemplate'));
    template = own.name;
    databases.push(own.name);
    const templateDb = postgresDb({ connectionString: own.url, max: 4 });
    try {
      const templateStore = new SqlEventStore(templateDb);
      for (let after = 0; ; ) {
        const page = await templateStore.readAll({ after, limit: 5000 });
        if (page.length === 0) break;
        events.push(...page);
        after = page.at(-1)!.position;
      }
    } finally {
      await templateDb.close();
    }
    // The auditor's digest, kept before anything happens (the command verifies the whole log to print it).
    const kept = await yingpan(urlOf(template), 'verify', '--digest');
    expect(kept.code, kept.stderr).toBe(0);
    digest = kept.stdout.trim();
    const head = events.at(-1)!;
    expect(digest).toBe(formatDigest({ position: head.position, hash: head.hash }));
  });

  it('yingpan verify and store.verify() find every corruption and name its position; a cut tail and a re-hashed history only against a digest', async () => {
    const head = events.at(-1)!;

    const at = (events: StoredEvent[], position: number) => events[position - 1]!;
    const picks = new Map<string, number>();
    const pick = (name: string, choose: () => number) => {
      if (!picks.has(name)) picks.set(name, choose());
      return picks.get(name)!;
    };
    const personRegistered = events.filter((event) => event.type === 'PersonRegistered' && event.position > 50 && event.position < events.length - 50);
    const CUT = 25;

    const corruptions: Corruption[] = [
      {
        name: 'one character of an event’s data changed',
        bypass: 'replica',
        sql: () => {
          const p = pick('data', () => personRegistered[Math.floor(Math.random() * personRegistered.length)]!.position);
          return `UPDATE yingpan.events SET data = jsonb_set(data, '{name}', to_jsonb(overlay(data->>'name' placing '假' from 1 for 1))) WHERE position = ${p}`;
        },
        expected: () => ({ kind: 'hash-mismatch', position: picks.get('data')! }),
      },
      {
        name: 'the recorder of an event changed',
        bypass: 'disable-trigger',
        viaCli: false,
        sql: (all) =>
          `UPDATE yingpan.events SET metadata = jsonb_set(metadata, '{recordedBy,personId}', '"someone-else"') WHERE position = ${pick('recorder', () => somewhere(all))}`,
        expected: () => ({ kind: 'hash-mismatch', position: picks.get('recorder')! }),
      },
      {
        name: 'a row deleted',
        bypass: 'replica',
        sql: (all) => `DELETE FROM yingpan.events WHERE position = ${pick('delete', () => somewhere(all))}`,
        expected: () => ({ kind: 'gap', position: picks.get('delete')! + 1 }),
      },
      {
        name: 'two rows swapped (reordered)',
        bypass: 'replica',
        sql: (all) => {
          const p = pick('swap', () => somewhere(all));
          return `UPDATE yingpan.events SET position = -1 WHERE position = ${p};
                  UPDATE yingpan.events SET position = ${p} WHERE position = ${p + 1};
                  UPDATE yingpan.events SET position = ${p + 1} WHERE position = -1`;
        },
        // The event now at p carries the link to the original event p, not to p - 1.
        expected: () => ({ kind: 'broken-link', position: picks.get('swap')! }),
      },
      {
        name: 'one hex digit of a hash changed',
        bypass: 'replica',
        sql: (all) => {
          const p = pick('hash', () => somewhere(all));
          const hash = at(all, p).hash;
          const forged = `${hash[0] === 'a' ? 'b' : 'a'}${hash.slice(1)}`;
          return `UPDATE yingpan.events SET hash = '${forged}' WHERE position = ${p}`;
        },
        expected: () => ({ kind: 'hash-mismatch', position: picks.get('hash')! }),
      },
      {
        name: 'a previous-hash link changed',
        bypass: 'replica',
        viaCli: false,
        sql: (all) => `UPDATE yingpan.events SET prev_hash = '${'0'.repeat(64)}' WHERE position = ${pick('link', () => somewhere(all))}`,
        expected: () => ({ kind: 'broken-link', position: picks.get('link')! }),
      },
      {
        name: 'an event rewritten with its own hash recomputed',
        bypass: 'replica',
        viaCli: false,
        sql: (all) => {
          const p = pick('rehash-one', () => somewhere(all));
          const original = at(all, p);
          const forged = { ...original, data: { ...(original.data as object), forged: true } };
          return `UPDATE yingpan.events SET data = '${JSON.stringify(forged.data).replaceAll("'", "''")}'::jsonb, hash = '${hashOf(original.prevHash, forged)}' WHERE position = ${p}`;
        },
        // Its own hash matches now; the next event still links to the old one.
        expected: () => ({ kind: 'broken-link', position: picks.get('rehash-one')! + 1 }),
      },
      {
        name: `the last ${CUT} events cut off`,
        bypass: 'replica',
        sql: (all) => `DELETE FROM yingpan.events WHERE position > ${all.length - CUT}`,
        expected: (all) => ({ kind: 'digest-mismatch', position: all.length }),
        digestOnly: true,
      },
      {
        name: 'history rewritten from one event on, every later hash recomputed',
        bypass: 'replica',
        sql: (all) => {
          // Near the end, to keep the script short; the principle is the same anywhere.
          const p = pick('rehash-all', () => all.length - 100 - Math.floor(Math.random() * 200));
          const statements: string[] = [];
          let prevHash = at(all, p).prevHash;
          for (const original of all.slice(p - 1)) {
            const forged = original.position === p ? { ...original, data: { ...(original.data as object), forged: true } } : original;
            const hash = hashOf(prevHash, forged);
            const data = original.position === p ? `, data = '${JSON.stringify(forged.data).replaceAll("'", "''")}'::jsonb` : '';
            statements.push(`UPDATE yingpan.events SET prev_hash = '${prevHash}', hash = '${hash}'${data} WHERE position = ${original.position}`);
            prevHash = hash;
          }
          return statements.join(';\n');
        },
        // The chain is whole again; only the head hash kept in the digest differs.
        expected: (all) => ({ kind: 'digest-mismatch', position: all.length }),
        digestOnly: true,
      },
    ];

    const tamper = async (db: Db, bypass: Corruption['bypass'], sql: string) => {
      if (bypass === 'replica') {
        await db.transaction((tx) => tx.exec(`SET LOCAL session_replication_role = replica; ${sql}`));
      } else {
        await db.transaction((tx) => tx.exec(`ALTER TABLE yingpan.events DISABLE TRIGGER USER; ${sql}; ALTER TABLE yingpan.events ENABLE TRIGGER USER`));
      }
    };

    // Every corruption on its own copy; the CLI runs two at a time (the machine has two cores).
    const outcomes = await pooled(corruptions, 2, async (corruption) => {
      const name = await createDatabase(template);
      const db = postgresDb({ connectionString: urlOf(name), max: 2 });
      try {
        const store = new SqlEventStore(db);
        // The triggers really are there: the store's own connection cannot change the log.
        await expect(db.query('DELETE FROM yingpan.events WHERE position = 1')).rejects.toThrow(/append-only/);
        await tamper(db, corruption.bypass, corruption.sql(events));
        const expected = corruption.expected(events);
        const plain = await store.verify();
        const againstDigest = await store.verify({ digest: { position: head.position, hash: head.hash } });
        // The command takes seconds of CPU to start, so each copy gets one run: a plain verify, or for the
        // two that only a digest finds, the verify against the digest (store.verify shows the plain walk passing).
        const cli = corruption.digestOnly || corruption.viaCli === false ? null : await yingpan(urlOf(name), 'verify');
        const cliAgainst = corruption.digestOnly ? await yingpan(urlOf(name), 'verify', '--against', digest) : null;
        return { corruption, expected, plain, againstDigest, cli, cliAgainst };
      } finally {
        await db.close();
      }
    });

    let detected = 0;
    let plainDetected = 0;
    let viaCli = 0;
    for (const { corruption, expected, plain, againstDigest, cli, cliAgainst } of outcomes) {
      const failed = `FAILED at position ${expected.position} (${expected.kind})`;
      if (corruption.digestOnly) {
        // A plain walk finds a valid chain; the digest finds what changed.
        expect(plain, corruption.name).toMatchObject({ ok: true, count: corruption.name.includes('cut off') ? events.length - CUT : events.length });
      } else {
        expect(plain, corruption.name).toMatchObject({ ok: false, ...expected });
        if (cli) {
          expect(cli.code, `${corruption.name}: ${cli.stderr}`).toBe(1);
          expect(cli.stderr, corruption.name).toContain(failed);
          viaCli += 1;
        }
        plainDetected += 1;
      }
      // Against the digest every corruption is found (the first failure may come before the digest's position).
      expect(againstDigest.ok, corruption.name).toBe(false);
      if (corruption.digestOnly) {
        expect(againstDigest, corruption.name).toMatchObject(expected);
        expect(cliAgainst!.code, `${corruption.name}: ${cliAgainst!.stderr}`).toBe(1);
        expect(cliAgainst!.stderr, corruption.name).toContain(failed);
        viaCli += 1;
      }
      detected += 1;
    }

    figure(
      `tampering: ${corruptions.length} corruptions introduced, ${detected} detected by store.verify() with the position named, ` +
        `${viaCli} of them also run through yingpan verify (exit 1, position named) — ` +
        `${plainDetected} by the hash chain alone, ${corruptions.length - plainDetected} (cut tail, re-hashed history) only against the digest kept earlier; ` +
        `positions: ${outcomes.map(({ corruption, expected }) => `${corruption.name.split(' ').slice(0, 3).join(' ')}… → ${expected.kind}@${expected.position}`).join('; ')}`,
    );
  });

  it('probes beyond the hash: a row the store cannot read, and stored bytes the store never reads', async () => {
    const name = await createDatabase(template);
    const db = postgresDb({ connectionString: urlOf(name), max: 2 });
    try {
      const store = new SqlEventStore(db);
      const total = events.length;
      const tamper = (sql: string) => db.transaction((tx) => tx.exec(`SET LOCAL session_replication_role = replica; ${sql}`));
      const snapshot = async () => JSON.stringify(await store.readAll({ after: 0, limit: total }));
      const before = await snapshot();

      // 1. Bytes outside what the store reads and hashes: an extra metadata key; a timestamp moved by one microsecond.
      await tamper(`UPDATE yingpan.events SET metadata = metadata || '{"note": "forged"}' WHERE position = 40`);
      await tamper(`UPDATE yingpan.events SET recorded_at = recorded_at + interval '1 microsecond' WHERE position = 41`);
      const stored = await rows<{ note: string | null; micro: number }>(
        db,
        `SELECT (SELECT metadata->>'note' FROM yingpan.events WHERE position = 40) AS note,
                (SELECT extract(microseconds FROM recorded_at)::int % 1000 FROM yingpan.events WHERE position = 41) AS micro`,
      );
      expect(stored[0]).toEqual({ note: 'forged', micro: 1 });
      // What the store reads is unchanged (the hash cannot see either change), but verify looks at
      // the stored rows for what the store never writes, and names the first.
      expect(await snapshot()).toBe(before);
      const outside = await store.verify();
      expect(outside).toMatchObject({ ok: false, position: 40, kind: 'hash-mismatch' });
      await tamper(`UPDATE yingpan.events SET metadata = metadata - 'note' WHERE position = 40`);
      const micro = await store.verify();
      expect(micro).toMatchObject({ ok: false, position: 41, kind: 'hash-mismatch' });
      await tamper(`UPDATE yingpan.events SET recorded_at = date_trunc('milliseconds', recorded_at) WHERE position = 41`);
      expect(await store.verify()).toMatchObject({ ok: true, count: total });

      // 2. A row whose metadata is not the shape the store reads.
      await tamper(`UPDATE yingpan.events SET metadata = '{}' WHERE position = 60`);
      let storeOutcome: string;
      try {
        const result = await store.verify();
        storeOutcome = result.ok ? 'passed' : `failed at position ${result.position} (${result.kind})`;
      } catch (error) {
        storeOutcome = `threw ${(error as Error).name}: ${(error as Error).message}`;
      }
      const cli = await yingpan(urlOf(name), 'verify');
      // Whatever the form, a damaged row must never pass.
      expect(storeOutcome).not.toBe('passed');
      expect(cli.code).not.toBe(0);
      const cliOutcome = `exit ${cli.code}: ${cli.stderr.split('\n').find((line) => /FAILED|yingpan:/.test(line)) ?? cli.stderr.trim().split('\n').at(-1)}`;
      const named = storeOutcome.includes('position 60') && cli.code === 1 && cli.stderr.includes('position 60');

      figure(
        `tampering probes: an extra metadata key — store.verify() failed at position ${outside.ok ? '–' : outside.position}; a recorded_at moved by 1 µs — failed at position ${micro.ok ? '–' : micro.position} (both invisible through what the store reads; verify checks the stored rows for what the store never writes); ` +
          `metadata replaced by {} at position 60 — store.verify() ${storeOutcome}; yingpan verify ${cliOutcome}`,
      );
      if (!named) figure('KNOWN WEAKNESS: a row the store cannot read stops verification without naming its position (see services/faults/README.md).');
      if (process.env.FAULTS_STRICT !== '0') expect(named, 'verify names a row too damaged to hash').toBe(true);
    } finally {
      await db.close();
    }
  });
});
