/**
 * The projection engine. Each projection reads the global log from its checkpoint in batches;
 * a batch's read-model changes and the new checkpoint commit in one transaction, so a crash at
 * any point neither loses nor doubles an event's effect. The checkpoint row is locked for the
 * batch, so two projector processes never apply the same events twice.
 */
import { loadMigrations, migrate, type Db, type Queryable } from '@yingpan/db';
import { registry } from '@yingpan/domain';
import type { EventStore, StoredEvent } from '@yingpan/event-store';
import { fileURLToPath } from 'node:url';
import { READ_WHILE_REBUILDING, schemaOf, type Projection, type ProjectedEvent } from './projection.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface ProjectionFailure {
  position: number;
  eventId: string;
  eventType: string;
  message: string;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  position: number;
  headPosition: number;
  lagEvents: number;
  /** How long the oldest event not yet applied has been waiting, in seconds; 0 when caught up. */
  lagSeconds: number;
  failure: ProjectionFailure | null;
}

export interface ProjectorOptions {
  batchSize?: number;
  pollIntervalMs?: number;
  /** Called after each committed batch (e.g. to publish live updates). */
  onBatch?: (projection: string, position: number) => void;
  onFailure?: (projection: string, failure: ProjectionFailure) => void;
  /** Called when a step fails for a reason other than an event (e.g. the database is down); the step is retried. */
  onRetry?: (projection: string, error: unknown) => void;
  /**
   * Applies every event through the projection's `apply`, one at a time, never `applyBatch`: the
   * replay test compares the two (a batched projection must give what its events one by one give).
   */
  eventByEvent?: boolean;
}

interface CheckpointRow {
  name: string;
  version: number;
  position: number;
  failure: ProjectionFailure | null;
}

/** An event that a projection's code could not apply. */
class EventApplyError extends Error {
  readonly failure: ProjectionFailure;
  constructor(event: StoredEvent, cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(message);
    this.failure = { position: event.position, eventId: event.id, eventType: event.type, message };
  }
}

/** A projection waiting to advance over a page with the others (Projector.advance). */
interface Advance {
  projection: Projection;
  from: number;
  done(moved: boolean): void;
  failed(error: unknown): void;
}

const handlesSome = (projection: Projection, page: readonly StoredEvent[]) => {
  const handled = new Set<string>(projection.handles);
  return page.some((event) => handled.has(event.type));
};

export class ProjectionFailedError extends Error {
  constructor(readonly failure: ProjectionFailure) {
    super(`position ${failure.position} (${failure.eventType} ${failure.eventId}): ${failure.message}`);
  }
}

export async function migrateProjections(db: Db): Promise<void> {
  await migrate(db, 'projections', loadMigrations(MIGRATIONS_DIR));
}

/** Events already decoded: every projection reading the same page shares one decoding (projections never change an event). */
const decoded = new WeakMap<StoredEvent, ProjectedEvent>();

export function toProjected(event: StoredEvent): ProjectedEvent {
  let projected = decoded.get(event);
  if (!projected) {
    projected = { ...registry.read(event), position: event.position, streamId: event.streamId, metadata: event.metadata };
    decoded.set(event, projected);
  }
  return projected;
}

/**
 * Moves checkpoints (`$1` names, each from `$2` to `$3`) that still stand where this projector saw
 * them and have not failed — a compare-and-set: the row lock the UPDATE takes keeps two projectors
 * from applying the same events twice — and answers the names it moved. It is the first statement
 * of every transaction the projector commits while following the log, and it sets that transaction's
 * `synchronous_commit` to off (`set_config(…, true)` is `SET LOCAL`, without a round trip of its own):
 * the commit returns once its WAL is written, not flushed to disk or to the synchronous standby.
 * A read model needs no durable commit: the log is the record (its appends stay synchronous), and a
 * model's checkpoint commits atomically with its rows, so a crash of PostgreSQL, or a failover to a
 * standby, that loses the last read-model commits only takes the models back to an earlier
 * checkpoint, and the projector applies those events again. WAL is written in order and every
 * append flushes it, so a lost read-model commit never sits behind a kept one, nor ahead of its events.
 */
const MOVE_CHECKPOINTS = `UPDATE yingpan.projection_checkpoints c SET position = m.target, updated_at = now()
  FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed, unnest($1::text[], $2::bigint[], $3::bigint[]) AS m(name, source, target)
 WHERE c.name = m.name AND c.position = m.source AND c.failure IS NULL
RETURNING c.name`;
/** Parsed once per connection: it starts every transaction the projector commits while following the log. */
const PREPARED_MOVE = { prepared: 'yingpan_move_checkpoints' };

export class Projector {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;

  constructor(
    private readonly db: Db,
    private readonly store: EventStore,
    readonly projections: readonly Projection[],
    private readonly options: ProjectorOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
  }

  /**
   * Creates the engine's tables; builds every projection that is new or whose version changed
   * (beside the old tables, switched over at the end: see `rebuild`).
   */
  async prepare(): Promise<void> {
    await migrateProjections(this.db);
    const changed: Projection[] = [];
    for (const projection of this.projections) {
      const row = await this.checkpoint(projection.name);
      if (!row) await this.create(projection);
      else if (row.version !== projection.version) changed.push(projection);
    }
    // A projection that fails on an event is recorded as failed; the others are built.
    if (changed.length > 0) await this.rebuildAll(changed);
  }

  /** A new projection: empty tables at position zero; catching up fills them. */
  private async create(projection: Projection): Promise<void> {
    const schema = schemaOf(projection);
    await this.db.transaction(async (tx) => {
      await tx.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; ${projection.tables(schema)}`);
      await tx.query('INSERT INTO yingpan.projection_checkpoints (name, version, position) VALUES ($1, $2, 0)', [projection.name, projection.version]);
    });
  }

  /**
   * Rebuilds one projection from position zero into a schema beside the live one, then switches
   * over in one transaction (drop the old schema, rename the new, set the checkpoint), so a reader
   * sees either the old model or the complete new one, never a half-built one. The live projector
   * keeps serving meanwhile; its next batch after the switch starts from the rebuilt position.
   */
  async rebuild(projection: Projection, onProgress?: (position: number, head: number) => void): Promise<void> {
    const [failed] = await this.rebuildAll([projection], onProgress);
    if (failed) {
      const { projection: _name, ...failure } = failed;
      throw new ProjectionFailedError(failure);
    }
  }

  /**
   * Rebuilds several projections in one pass over the log: each page is read once and applied to
   * every projection in one transaction, each projection inside its own savepoint, so one that
   * fails on an event is dropped (its failure recorded and returned) while the others go on. The
   * new tables are filled without their non-unique indexes, which are created once the log has
   * been read (see deferIndexes); each survivor then switches over as `rebuild` describes.
   */
  async rebuildAll(
    projections: readonly Projection[] = this.projections,
    onProgress?: (position: number, head: number) => void,
  ): Promise<(ProjectionFailure & { projection: string })[]> {
    const building = new Set(projections);
    const failures: (ProjectionFailure & { projection: string })[] = [];
    const deferred = new Map<Projection, string[]>();
    for (const projection of projections) {
      const next = `${schemaOf(projection)}__next`;
      await this.db.exec(`DROP SCHEMA IF EXISTS ${next} CASCADE; CREATE SCHEMA ${next}; ${projection.tables(next)}`);
      deferred.set(projection, await this.deferIndexes(next));
    }
    let position = 0;
    // The next page is read while this one is applied (PGlite, one connection, takes them in turn).
    const read = (after: number) => {
      const reading = Promise.all([this.store.head(), this.store.readAll({ after, limit: this.batchSize })]);
      reading.catch(() => undefined); // awaited (and its failure thrown) at the next page
      return reading;
    };
    let next = read(0);
    try {
      for (;;) {
        const [{ position: head }, page] = await next;
        if (page.length === 0 || building.size === 0) break;
        next = read(page[page.length - 1]!.position);
        const failed = (await this.applyTogether(building, page))
          ? []
          : await this.db.transaction(async (tx) => {
              // Something failed: each model again in a savepoint of its own, to find which and drop it alone.
              const failedHere: [Projection, ProjectionFailure][] = [];
              for (const projection of building) {
                const failure = await this.applyInSavepoint(tx, projection, `${schemaOf(projection)}__next`, page);
                if (failure) failedHere.push([projection, failure]);
              }
              return failedHere;
            });
        for (const [projection, failure] of failed) {
          building.delete(projection);
          failures.push({ projection: projection.name, ...failure });
          await this.db.exec(`DROP SCHEMA IF EXISTS ${schemaOf(projection)}__next CASCADE`);
          await this.recordFailure(projection, failure);
        }
        position = page[page.length - 1]!.position;
        onProgress?.(position, Math.max(head, position));
      }
    } catch (error) {
      for (const projection of building) await this.db.exec(`DROP SCHEMA IF EXISTS ${schemaOf(projection)}__next CASCADE`);
      throw error;
    }
    for (const projection of building) {
      const indexes = deferred.get(projection)!;
      if (indexes.length > 0) await this.db.exec(indexes.join(';\n'));
      await this.switchOver(projection, position);
    }
    return failures;
  }

  /**
   * Applies a rebuild's page to every model at once in one transaction: the models write to tables
   * of their own, and while one's statement runs in the database the next one's rows are made in
   * this process. False (everything rolled back) when any of them failed.
   */
  private async applyTogether(building: ReadonlySet<Projection>, page: readonly StoredEvent[]): Promise<boolean> {
    try {
      await this.db.transaction(async (tx) => {
        // Tables nobody reads yet need no durable commit: a crash fails the rebuild, which starts again from zero; the switch-over's commit is durable.
        await tx.exec('SET LOCAL synchronous_commit TO off');
        const applied = await Promise.allSettled([...building].map((projection) => this.applyEvents(tx, projection, `${schemaOf(projection)}__next`, page)));
        const failure = applied.find((result) => result.status === 'rejected');
        if (failure) throw failure.reason;
      });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Drops the non-unique indexes of a freshly created `schema` and returns the statements that
   * create them again: a rebuild fills the tables first and indexes them once, at the end, instead
   * of updating every index row by row. Unique indexes and those behind constraints stay, as
   * `ON CONFLICT` and the models' lookups of current rows need them while the tables fill, and so
   * do those a model reads by while it is rebuilt (commented `READ_WHILE_REBUILDING`): without
   * one, each such read scans a table that grows with the log, and the rebuild's cost per event
   * grows with it.
   */
  private async deferIndexes(schema: string): Promise<string[]> {
    const { rows } = await this.db.query<{ name: string; definition: string }>(
      `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND NOT i.indisunique AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
          AND obj_description(i.indexrelid, 'pg_class') IS DISTINCT FROM $2
        ORDER BY c.relname`,
      [schema, READ_WHILE_REBUILDING],
    );
    if (rows.length > 0) await this.db.exec(rows.map((row) => `DROP INDEX ${row.name}`).join(';\n'));
    return rows.map((row) => row.definition);
  }

  /**
   * Applies a page inside a savepoint of `tx`; a failing event rolls back to the savepoint and is
   * returned. A failing batched apply is replayed one event at a time to name the event.
   */
  private async applyInSavepoint(tx: Queryable, projection: Projection, schema: string, page: readonly StoredEvent[]): Promise<ProjectionFailure | null> {
    const attempt = async (oneByOne: boolean) => {
      await tx.exec('SAVEPOINT rebuild_page');
      try {
        await this.applyEvents(tx, projection, schema, page, oneByOne);
        await tx.exec('RELEASE SAVEPOINT rebuild_page');
        return null;
      } catch (error) {
        await tx.exec('ROLLBACK TO SAVEPOINT rebuild_page');
        await tx.exec('RELEASE SAVEPOINT rebuild_page');
        if (error instanceof EventApplyError) return error.failure;
        if (oneByOne || !projection.applyBatch) throw error;
        return undefined; // replay one by one
      }
    };
    const first = await attempt(false);
    return first === undefined ? ((await attempt(true)) ?? null) : first;
  }

  /** Replaces the live schema by the rebuilt one and sets the checkpoint, in one transaction. */
  private async switchOver(projection: Projection, position: number): Promise<void> {
    const live = schemaOf(projection);
    this.positions.delete(projection.name);
    await this.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO yingpan.projection_checkpoints (name, version, position) VALUES ($1, $2, 0) ON CONFLICT (name) DO NOTHING`, [
        projection.name,
        projection.version,
      ]);
      await tx.query('SELECT position FROM yingpan.projection_checkpoints WHERE name = $1 FOR UPDATE', [projection.name]);
      await tx.exec(`DROP SCHEMA IF EXISTS ${live} CASCADE; ALTER SCHEMA ${live}__next RENAME TO ${live}`);
      await tx.query('UPDATE yingpan.projection_checkpoints SET version = $2, position = $3, failure = NULL, updated_at = now() WHERE name = $1', [
        projection.name,
        projection.version,
        position,
      ]);
    });
    this.options.onBatch?.(projection.name, position);
  }

  /** Applies the events a projection handles, in order; a failing event is reported with its place. */
  private async applyEvents(tx: Queryable, projection: Projection, schema: string, events: readonly StoredEvent[], oneByOne = false): Promise<void> {
    const handled = new Set(projection.handles);
    const relevant = events.filter((event) => handled.has(event.type));
    if (projection.applyBatch && !oneByOne && !this.options.eventByEvent) {
      await projection.applyBatch(tx, schema, relevant.map(toProjected));
      return;
    }
    for (const event of relevant) {
      try {
        await projection.apply(tx, schema, toProjected(event));
      } catch (error) {
        throw new EventApplyError(event, error);
      }
    }
  }

  /**
   * Runs `work` (which applies `events` to `schema` in one transaction). If a batched apply fails,
   * replays the same events one at a time in a fresh transaction, so the failure names its event.
   */
  private async inTransaction<T>(projection: Projection, work: (tx: Queryable, oneByOne: boolean) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction((tx) => work(tx, false));
    } catch (error) {
      if (!projection.applyBatch || error instanceof EventApplyError) throw error;
      return this.db.transaction((tx) => work(tx, true));
    }
  }

  /** Pages of the log being read now, by the position they start after (see readPage). */
  private readonly reading = new Map<number, Promise<StoredEvent[]>>();

  /**
   * The page after `position`. Projections that stand at the same position (after an append, all
   * of them usually do) ask at the same moment: they share one read of the log instead of each
   * reading it. Only reads in flight are shared, so nobody gets a page older than their request.
   */
  private readPage(position: number): Promise<StoredEvent[]> {
    let page = this.reading.get(position);
    if (!page) {
      page = this.store.readAll({ after: position, limit: this.batchSize });
      this.reading.set(position, page);
      const forget = () => {
        if (this.reading.get(position) === page) this.reading.delete(position);
      };
      page.then(forget, forget);
    }
    return page;
  }

  private async checkpoint(name: string): Promise<CheckpointRow | null> {
    const { rows } = await this.db.query<CheckpointRow>('SELECT name, version, position, failure FROM yingpan.projection_checkpoints WHERE name = $1', [name]);
    return rows[0] ?? null;
  }

  /**
   * Where each projection stands, as this projector last wrote or read it; a checkpoint that moved
   * behind its back (another projector, a rebuild, a recorded failure) makes the next write miss,
   * and the position is read again.
   */
  private readonly positions = new Map<string, number>();

  /**
   * Moves a checkpoint from `from` to `to` if it still stands at `from` and has not failed (a
   * compare-and-set: the row lock the UPDATE takes keeps two projectors from applying the same
   * events twice). Inside `tx`, alone; outside one, batched with the other projections' moves of
   * the same moment into one statement (`moveTogether`). False when the checkpoint was elsewhere.
   */
  private async move(tx: Queryable | null, name: string, from: number, to: number): Promise<boolean> {
    if (!tx) return this.moveTogether(name, from, to);
    const { rows } = await tx.query<{ name: string }>(MOVE_CHECKPOINTS, [[name], [from], [to]], PREPARED_MOVE);
    return rows.length === 1;
  }

  /** Moves waiting for the next statement of `moveTogether`. */
  private moves: { name: string; from: number; to: number; done(moved: boolean): void; failed(error: unknown): void }[] = [];

  /**
   * The projections that handle none of a page's events only move their checkpoints past it; they
   * all read the page at the same moment, so their moves go in one statement, not one each.
   */
  private moveTogether(name: string, from: number, to: number): Promise<boolean> {
    return new Promise((done, failed) => {
      this.moves.push({ name, from, to, done, failed });
      if (this.moves.length > 1) return;
      setImmediate(() => {
        const moves = this.moves;
        this.moves = [];
        this.db
          .query<{ name: string }>(
            MOVE_CHECKPOINTS,
            [moves.map((move) => move.name), moves.map((move) => move.from), moves.map((move) => move.to)],
            PREPARED_MOVE,
          )
          .then(
            ({ rows }) => {
              const moved = new Set(rows.map((row) => row.name));
              for (const move of moves) move.done(moved.has(move.name));
            },
            (error: unknown) => {
              for (const move of moves) move.failed(error);
            },
          );
      });
    });
  }

  /**
   * Applies the next batch of events to one projection. Returns how many log events it consumed
   * (0 when caught up); throws ProjectionFailedError, after recording it, when an event fails.
   *
   * The projections that stand at the same position read the same page (readPage) and advance over
   * it together, in one transaction: one statement moves all their checkpoints, then each that
   * handles some of the page's events applies them (`advanceTogether`). When that transaction fails,
   * each goes again on its own (`advanceAlone`), so a failing projection is isolated, recorded and
   * stopped while the others advance.
   */
  async step(projection: Projection): Promise<number> {
    let position = this.positions.get(projection.name);
    if (position === undefined) {
      const row = await this.checkpoint(projection.name);
      if (!row) throw new Error(`Projection ${projection.name} is not prepared`);
      if (row.failure) throw new ProjectionFailedError(row.failure);
      position = row.position;
      this.positions.set(projection.name, position);
    }
    const from = position;
    const page = await this.readPage(from);
    if (page.length === 0) return 0;
    const to = page[page.length - 1]!.position;
    try {
      const moved = await this.advance(projection, from, page);
      if (!moved) {
        this.positions.delete(projection.name); // another projector or a rebuild moved it meanwhile: read it again next time
        return page.length;
      }
      this.positions.set(projection.name, to);
      this.options.onBatch?.(projection.name, to);
      return page.length;
    } catch (error) {
      this.positions.delete(projection.name);
      if (!(error instanceof EventApplyError)) throw error; // not the projection's fault (e.g. the database is down): retry later
      await this.recordFailure(projection, error.failure);
      throw new ProjectionFailedError(error.failure);
    }
  }

  /** Projections waiting to advance over a page together, by the page (one array per read: readPage). */
  private readonly advancing = new Map<readonly StoredEvent[], Advance[]>();

  /**
   * Moves `projection` from `from` over `page`, applying the page's events it handles, together with
   * the other projections that asked to advance over the same page at the same moment (they all
   * waited for the same read). True when it moved; false when its checkpoint was elsewhere.
   */
  private advance(projection: Projection, from: number, page: readonly StoredEvent[]): Promise<boolean> {
    return new Promise((done, failed) => {
      let group = this.advancing.get(page);
      if (!group) {
        const members: Advance[] = [];
        group = members;
        this.advancing.set(page, members);
        setImmediate(() => {
          this.advancing.delete(page);
          void this.advanceTogether(members, page);
        });
      }
      group.push({ projection, from, done, failed });
    });
  }

  /**
   * One transaction for the whole group: one compare-and-set statement moves every checkpoint that
   * still stands where its projection saw it, then each moved projection that handles some of the
   * page's events applies them; when none does, the statement alone. If the transaction fails
   * (a projection's event, or anything else), nothing of it is kept and each member advances again
   * on its own, as if it had been alone: the failing projection is then the only one to fail.
   */
  private async advanceTogether(group: readonly Advance[], page: readonly StoredEvent[]): Promise<void> {
    const alone = () => {
      for (const member of group) this.advanceAlone(member.projection, member.from, page).then(member.done, member.failed);
    };
    if (group.length === 1) return alone();
    const to = page[page.length - 1]!.position;
    const applying = group.filter((member) => handlesSome(member.projection, page));
    const moveAll = async (db: Queryable) => {
      const { rows } = await db.query<{ name: string }>(
        MOVE_CHECKPOINTS,
        [group.map((member) => member.projection.name), group.map((member) => member.from), group.map(() => to)],
        PREPARED_MOVE,
      );
      return new Set(rows.map((row) => row.name));
    };
    let moved: Set<string>;
    try {
      moved =
        applying.length === 0
          ? await moveAll(this.db)
          : await this.db.transaction(async (tx) => {
              const movedHere = await moveAll(tx);
              for (const { projection } of applying) {
                if (movedHere.has(projection.name)) await this.applyEvents(tx, projection, schemaOf(projection), page);
              }
              return movedHere;
            });
    } catch (error) {
      if (applying.length > 0) return alone();
      for (const member of group) member.failed(error); // only checkpoints moved: the database's failure, retried
      return;
    }
    for (const member of group) member.done(moved.has(member.projection.name));
  }

  /**
   * One projection over `page` by itself: one transaction (move the checkpoint, apply) when it
   * handles some of the page's events; a move of its checkpoint, together with the others', when not.
   */
  private advanceAlone(projection: Projection, from: number, page: readonly StoredEvent[]): Promise<boolean> {
    const to = page[page.length - 1]!.position;
    if (!handlesSome(projection, page)) return this.move(null, projection.name, from, to);
    return this.inTransaction(projection, async (tx, oneByOne) => {
      if (!(await this.move(tx, projection.name, from, to))) return false;
      await this.applyEvents(tx, projection, schemaOf(projection), page, oneByOne);
      return true;
    });
  }

  private async recordFailure(projection: Projection, failure: ProjectionFailure): Promise<void> {
    await this.db.query('UPDATE yingpan.projection_checkpoints SET failure = $2, updated_at = now() WHERE name = $1', [
      projection.name,
      JSON.stringify(failure),
    ]);
    this.options.onFailure?.(projection.name, failure);
  }

  /** Waits for the log to grow past a position, by the position (see waitForAppend). */
  private readonly waiting = new Map<number, Promise<void>>();

  /**
   * Waits until the log grows past `position` (or the poll interval passes). The projections that
   * stand at the same position share one wait, so they ask the log's head once, not once each,
   * and wake together to read the next page together (readPage, advance). Joining a wait already
   * under way misses no append: the store checks the head after it starts listening, so an append
   * before that ends the wait at once and one after it wakes the wait.
   */
  private waitForAppend(position: number, signal: AbortSignal): Promise<void> {
    let wait = this.waiting.get(position);
    if (!wait) {
      const started = this.store.waitForAppend(position, this.pollIntervalMs, signal);
      wait = started;
      this.waiting.set(position, started);
      const forget = () => {
        if (this.waiting.get(position) === started) this.waiting.delete(position);
      };
      started.then(forget, forget);
    }
    return wait;
  }

  /** Brings every projection up to the head once; a failed projection is left where it stopped. */
  async catchUp(): Promise<void> {
    await Promise.all(
      this.projections.map(async (projection) => {
        try {
          while ((await this.step(projection)) > 0);
        } catch (error) {
          if (!(error instanceof ProjectionFailedError)) throw error;
        }
      }),
    );
  }

  /** Follows the log until the signal aborts. Transient errors are retried; a failed projection stops. */
  async run(signal: AbortSignal): Promise<void> {
    await Promise.all(
      this.projections.map(async (projection) => {
        while (!signal.aborted) {
          try {
            const consumed = await this.step(projection);
            if (consumed < this.batchSize) {
              const position = this.positions.get(projection.name) ?? (await this.checkpoint(projection.name))!.position;
              await this.waitForAppend(position, signal);
            }
          } catch (error) {
            if (error instanceof ProjectionFailedError) return;
            if (!signal.aborted) this.options.onRetry?.(projection.name, error);
            await new Promise((resolve) => setTimeout(resolve, this.pollIntervalMs));
          }
        }
      }),
    );
  }

  /** Clears a recorded failure so the projection retries the event (after a fix has been deployed). */
  async retry(name: string): Promise<void> {
    this.positions.delete(name);
    await this.db.query('UPDATE yingpan.projection_checkpoints SET failure = NULL, updated_at = now() WHERE name = $1', [name]);
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.store.head();
    const { rows } = await this.db.query<CheckpointRow>(
      'SELECT name, version, position, failure FROM yingpan.projection_checkpoints WHERE name = ANY($1::text[]) ORDER BY name',
      [this.projections.map((projection) => projection.name)],
    );
    return Promise.all(
      rows.map(async (row) => {
        const [oldestPending] = row.position < head.position ? await this.store.readAll({ after: row.position, limit: 1 }) : [];
        return {
          name: row.name,
          version: row.version,
          position: row.position,
          headPosition: head.position,
          lagEvents: head.position - row.position,
          lagSeconds: oldestPending ? Math.max(0, (Date.now() - Date.parse(oldestPending.metadata.recordedAt)) / 1000) : 0,
          failure: row.failure,
        };
      }),
    );
  }
}
