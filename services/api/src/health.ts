/**
 * What the running system says about itself: for monitoring at `/ready` (app.ts) and for an
 * administrator's 系统状态 page (`systemStatus` in schema/system.ts). One place reads each fact:
 * how many machines hold an acknowledged write, how far each read model has applied the log, and
 * which API process runs the projector.
 */
import { hostname } from 'node:os';
import type { Db } from '@yingpan/db';
import type { ProjectionStatus } from '@yingpan/projections';
import { leaderName, PROJECTOR_LOCK } from './ha.ts';
import type { Runtime } from './runtime.ts';

export interface Replication {
  /** Standbys streaming from this server (`pg_stat_replication`). */
  standbys: number;
  /** Of them, those its commits wait for (`sync` or `quorum`); null where the role may not see their states. */
  synchronousStandbys: number | null;
  /** Does a commit wait for a standby at all (`synchronous_standby_names` is set)? */
  commitsWaitForStandby: boolean;
}

/**
 * The database's standbys, as the primary sees them (`pg_stat_replication`): how many stream from
 * it, how many its commits wait for (`sync` or `quorum`), and whether its commits wait for a standby
 * at all (`synchronous_standby_names`). A cluster whose primary commits alone — pg_auto_failover's
 * `wait_primary`, while the standby is down or its disk is full — shows `synchronousStandbys: 0`:
 * acknowledged records are then on one machine only (docs/operations.md). `synchronousStandbys` is
 * null where the API's database role may not see the standbys' states (it needs `pg_monitor`), and
 * the whole answer null where the database cannot answer the question.
 */
export async function replicationOf(db: Db): Promise<Replication | null> {
  try {
    const { rows } = await db.query<{ standbys: number; synchronous: number; hidden: number; waits: boolean }>(
      `SELECT count(*)::int AS standbys,
              count(*) FILTER (WHERE sync_state IN ('sync', 'quorum'))::int AS synchronous,
              count(*) FILTER (WHERE sync_state IS NULL)::int AS hidden,
              current_setting('synchronous_standby_names') <> '' AS waits
         FROM pg_stat_replication`,
    );
    const row = rows[0]!;
    return { standbys: row.standbys, synchronousStandbys: row.hidden > 0 ? null : row.synchronous, commitsWaitForStandby: row.waits };
  } catch {
    return null;
  }
}

/**
 * Ready when the database answers and no projection has failed or fallen far behind. The answer also
 * says how many machines hold an acknowledged write (`replication`), for monitoring: it never makes
 * the process unready, as it still serves every request with the primary alone.
 */
export async function readiness(runtime: Runtime) {
  try {
    await runtime.db.query('SELECT 1');
    const projections = await runtime.projector.status();
    const ready = projections.every((projection) => !projection.failure && projection.lagSeconds < 30);
    return { ready, projections, replication: await replicationOf(runtime.db) };
  } catch (error) {
    return { ready: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** One read model as the projector reports it: how far it has applied the log, and the event it stopped at. */
export type ReadModelState = Pick<ProjectionStatus, 'name' | 'position' | 'lagEvents' | 'lagSeconds' | 'failure'>;

export interface SystemStatus {
  checkedAt: Date;
  database: {
    engine: 'PostgreSQL' | 'PGlite';
    version: string;
    /** The server this process writes to, `address:port` (null over a socket, and for PGlite). */
    server: string | null;
    /** DATABASE_URL names a cluster: a synchronous standby is expected beside the primary. */
    cluster: boolean;
  };
  /** Null for PGlite, which has no standbys, and where the database cannot say. */
  replication: Replication | null;
  log: { head: number; lastRecordedAt: Date | null };
  readModels: ReadModelState[];
  projector: {
    /** The process id of the API process that runs the projector (the holder of its lock); null when none does. */
    leaderPid: number | null;
    /** This process runs it. */
    thisProcess: boolean;
  };
  /** The API process that answered. */
  process: { pid: number; host: string };
}

/** ha.ts names the lock's connection `yingpan projector leader pid 123`: the pid read back. */
const LEADER_PATTERN = new RegExp(`^${leaderName(0).slice(0, -1)}(\\d+)$`);

/** The running system as an administrator sees it (系统状态). */
export async function systemStatus(runtime: Runtime): Promise<SystemStatus> {
  const { db, store } = runtime;
  const [server, projections, replication, head] = await Promise.all([
    db.query<{ version: string; address: string | null; port: number | null }>(
      `SELECT current_setting('server_version') AS version, host(inet_server_addr()) AS address, inet_server_port() AS port`,
    ),
    runtime.projector.status(),
    db.kind === 'postgres' ? replicationOf(db) : Promise.resolve(null),
    store.head(),
  ]);
  const [last] = head.position > 0 ? await store.readAll({ after: head.position - 1, limit: 1 }) : [];
  const thisProcess = runtime.leadsProjector();
  let leaderPid: number | null = thisProcess ? process.pid : null;
  if (!thisProcess && db.kind === 'postgres') {
    // The holder of this database's projector lock (a bigint key: classid 0, objid the key, objsubid 1)
    // names its connection after its process (ha.ts), which pg_stat_activity shows.
    const { rows } = await db.query<{ name: string }>(
      `SELECT a.application_name AS name
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1 AND l.granted
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [PROJECTOR_LOCK],
    );
    const found = rows.map((row) => LEADER_PATTERN.exec(row.name)).find((match) => match !== null);
    leaderPid = found ? Number(found[1]) : null;
  }
  const row = server.rows[0]!;
  return {
    checkedAt: new Date(),
    database: {
      engine: db.kind === 'postgres' ? 'PostgreSQL' : 'PGlite',
      version: row.version,
      server: row.address && row.port ? `${row.address}:${row.port}` : null,
      cluster: runtime.cluster,
    },
    replication,
    log: { head: head.position, lastRecordedAt: last ? new Date(last.metadata.recordedAt) : null },
    readModels: projections,
    projector: { leaderPid, thisProcess },
    process: { pid: process.pid, host: hostname() },
  };
}
