/**
 * Several hosts in DATABASE_URL, the typed error a client may retry, and the advisory lock that
 * elects one projector among processes. The failover of a real cluster is in the fault suite
 * (services/faults/test/failover.spec.ts); here a closed port stands for a dead host.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, describeHosts, isConnectionLoss, parseDatabaseUrl, postgresDb, typedConnectionError } from '../src/index.ts';
import { createTestDatabase, freshPglite } from '../src/testing.ts';

const url = process.env.DATABASE_URL;

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** DATABASE_URL with `hosts` in place of its host, and extra parameters. */
function withHosts(hosts: string, query = ''): string {
  const parsed = new URL(url!);
  const auth = parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : '';
  return `postgres://${auth}${hosts}${parsed.pathname}${query}`;
}

describe('a DATABASE_URL with several hosts', () => {
  it('is split into one connection string per host; target_session_attrs is kept by the db layer, other parameters stay', () => {
    expect(parseDatabaseUrl('postgres://app:s3cret@10.0.0.1:6001,10.0.0.2:6002/yingpan?target_session_attrs=read-write&sslmode=disable')).toEqual({
      hosts: ['postgres://app:s3cret@10.0.0.1:6001/yingpan?sslmode=disable', 'postgres://app:s3cret@10.0.0.2:6002/yingpan?sslmode=disable'],
      readWrite: true,
    });
    expect(parseDatabaseUrl('postgres://root@127.0.0.1:5432/test')).toEqual({ hosts: ['postgres://root@127.0.0.1:5432/test'], readWrite: false });
    expect(parseDatabaseUrl('postgresql://h1,h2/db?target_session_attrs=any').readWrite).toBe(false);
  });

  it('is described without its password', () => {
    const described = describeHosts('postgres://app:s3cret@10.0.0.1:6001,10.0.0.2:6002/yingpan?target_session_attrs=read-write');
    expect(described).toBe('10.0.0.1:6001, 10.0.0.2:6002/yingpan (the writable one of them)');
    expect(described).not.toContain('s3cret');
  });

  it('tells a lost server from a failed statement', () => {
    expect(isConnectionLoss(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6001'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' }))).toBe(true);
    expect(isConnectionLoss(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
    const typed = typedConnectionError(new Error('Connection terminated unexpectedly'), true);
    expect(typed).toBeInstanceOf(DatabaseUnavailableError);
    expect((typed as DatabaseUnavailableError).commitUnknown).toBe(true);
    expect((typed as DatabaseUnavailableError).retryable).toBe(true);
  });
});

describe.skipIf(!url)('several hosts on PostgreSQL', () => {
  it('uses the host that answers when the first is down, in and out of transactions, and listens there', async () => {
    const real = new URL(url!);
    const db = postgresDb({ connectionString: withHosts(`127.0.0.1:${await closedPort()},${real.host}`, '?target_session_attrs=read-write'), max: 2 });
    try {
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      expect(await db.transaction(async (tx) => (await tx.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')).rows[0]!.standby)).toBe(false);
      const heard: string[] = [];
      const unlisten = await db.listen('yingpan_hosts_test', (payload) => heard.push(payload));
      await db.query(`SELECT pg_notify('yingpan_hosts_test', 'hello')`);
      for (let i = 0; i < 50 && heard.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      await unlisten();
      expect(heard).toEqual(['hello']);
    } finally {
      await db.close();
    }
  });

  it('answers DatabaseUnavailableError at once when no host answers, never a hang', async () => {
    const db = postgresDb({
      connectionString: withHosts(`127.0.0.1:${await closedPort()},127.0.0.1:${await closedPort()}`, '?target_session_attrs=read-write'),
    });
    try {
      await expect(db.query('SELECT 1')).rejects.toBeInstanceOf(DatabaseUnavailableError);
      await expect(db.transaction(async (tx) => tx.query('SELECT 1'))).rejects.toMatchObject({ name: 'DatabaseUnavailableError', retryable: true });
    } finally {
      await db.close();
    }
  });

  it('turns a connection killed inside a transaction into a retryable error, and the next query succeeds', async () => {
    const db = postgresDb({ connectionString: withHosts(new URL(url!).host, '?target_session_attrs=read-write'), max: 2 });
    const admin = postgresDb({ connectionString: url!, max: 1 });
    try {
      const failure = await db
        .transaction(async (tx) => {
          const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
          await tx.query('SELECT 1');
        })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DatabaseUnavailableError);
      expect((failure as DatabaseUnavailableError).commitUnknown).toBe(false);
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
      await admin.close();
    }
  });

  it('chooses again when the chosen host stops taking writes (back as a standby after a failover): new connections and the lock check it', async () => {
    // A database whose new sessions are read-only stands for a host that came back as a standby, or
    // a promoted one not yet open for writes: the connections already open are not affected.
    const { url: own, drop } = await createTestDatabase(url!);
    const name = new URL(own).pathname.slice(1);
    const admin = postgresDb({ connectionString: url!, max: 1 });
    const readOnly = (on: boolean) =>
      admin.query(`ALTER DATABASE ${name} ${on ? 'SET default_transaction_read_only = on' : 'RESET default_transaction_read_only'}`);
    const parsed = new URL(own);
    const db = postgresDb({
      connectionString: `postgres://${parsed.username ? `${parsed.username}@` : ''}${parsed.host}${parsed.pathname}?target_session_attrs=read-write`,
      max: 2,
    });
    try {
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await readOnly(true);
      // The projector's lock is not taken where writes cannot go.
      await expect(db.tryAdvisoryLock(7_020_999, 'yingpan test holder')).rejects.toBeInstanceOf(DatabaseUnavailableError);
      await readOnly(false);
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await readOnly(true);
      // The open connection is busy in a transaction, so the query needs a new one: refused, not read there.
      const inner = await db.transaction(async (tx) => {
        await tx.query('SELECT 1');
        return db.query('SELECT 1').catch((error: unknown) => error);
      });
      expect(inner).toBeInstanceOf(DatabaseUnavailableError);
      // Chosen again: nothing writable while it stays so, then the host again once it takes writes.
      await expect(db.query('SELECT 1')).rejects.toBeInstanceOf(DatabaseUnavailableError);
      await readOnly(false);
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      const lock = await db.tryAdvisoryLock(7_020_999, 'yingpan test holder');
      expect(lock).not.toBeNull();
      await lock!.release();
    } finally {
      await db.close();
      await admin.close();
      await drop();
    }
  });

  it('gives the advisory lock to one holder; another takes it once the holder releases it or its connection dies', async () => {
    const key = 7_020_000 + Math.floor(Math.random() * 900);
    const a = postgresDb({ connectionString: url!, max: 1 });
    const b = postgresDb({ connectionString: url!, max: 1 });
    try {
      const first = await a.tryAdvisoryLock(key, 'yingpan test holder a');
      expect(first).not.toBeNull();
      expect(await b.tryAdvisoryLock(key, 'yingpan test holder b')).toBeNull();
      // The holder's connection is named, so an operator sees who holds it.
      const holders = await a.query<{ name: string }>(
        `SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.objid = $1 AND l.granted`,
        [key],
      );
      expect(holders.rows).toEqual([{ name: 'yingpan test holder a' }]);
      await first!.release();
      await first!.lost;
      const second = await b.tryAdvisoryLock(key, 'yingpan test holder b');
      expect(second).not.toBeNull();
      // Its connection killed (as when its process dies): `lost` resolves and the lock is free again.
      await a.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'yingpan test holder b'`);
      await second!.lost;
      let third = null;
      for (let i = 0; i < 50 && !third; i++) {
        third = await a.tryAdvisoryLock(key, 'yingpan test holder a');
        if (!third) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(third).not.toBeNull();
      await third!.release();
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('the advisory lock on PGlite', () => {
  it('has one holder in the process at a time', async () => {
    const db = await freshPglite();
    try {
      const first = await db.tryAdvisoryLock(1, 'a');
      expect(first).not.toBeNull();
      expect(await db.tryAdvisoryLock(1, 'b')).toBeNull();
      await first!.release();
      expect(await db.tryAdvisoryLock(1, 'b')).not.toBeNull();
    } finally {
      await db.close();
    }
  });
});

if (!url)
  console.error('[yingpan tests] SKIPPED on postgres: DATABASE_URL is not set, so several hosts and the advisory lock are checked on PGlite and in parts only');
