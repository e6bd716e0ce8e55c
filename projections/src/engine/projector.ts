/**
 * The projection engine. Each projection reads the global log from its checkpoint in batches;
 * a batch's read-model changes and the new checkpoint commit in one transaction, so a crash at
 * any point neither loses nor doubles an event's effect. The checkpoint row is locked for the
 * batch, so two projector processes never apply the same events twice.
 */
import { loadMigrations, migrate, type Db } from '@yingpan/db';
import { registry } from '@yingpan/domain';
import type { EventStore, StoredEvent } from '@yingpan/event-store';
import { fileURLToPath } from 'node:url';
import { schemaOf, type Projection, type ProjectedEvent } from './projection.ts';

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
}

interface CheckpointRow {
  name: string;
  version: number;
  position: number;
  failure: ProjectionFailure | null;
}

class ProjectionFailedError extends Error {
  constructor(readonly failure: ProjectionFailure) {
    super(`position ${failure.position} (${failure.eventType} ${failure.eventId}): ${failure.message}`);
  }
}

export async function migrateProjections(db: Db): Promise<void> {
  await migrate(db, 'projections', loadMigrations(MIGRATIONS_DIR));
}

export function toProjected(event: StoredEvent): ProjectedEvent {
  return { ...registry.read(event), position: event.position, streamId: event.streamId, metadata: event.metadata };
}

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

  /** Creates the engine's tables and each projection's schema; rebuilds a projection whose version changed. */
  async prepare(): Promise<void> {
    await migrateProjections(this.db);
    for (const projection of this.projections) {
      const row = await this.checkpoint(projection.name);
      if (row?.version === projection.version) continue;
      await this.db.transaction(async (tx) => {
        const schema = schemaOf(projection);
        await tx.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; ${projection.tables(schema)}`);
        await tx.query(
          `INSERT INTO yingpan.projection_checkpoints (name, version, position, failure, updated_at)
           VALUES ($1, $2, 0, NULL, now())
           ON CONFLICT (name) DO UPDATE SET version = $2, position = 0, failure = NULL, updated_at = now()`,
          [projection.name, projection.version],
        );
      });
    }
  }

  private async checkpoint(name: string): Promise<CheckpointRow | null> {
    const { rows } = await this.db.query<CheckpointRow>(
      'SELECT name, version, position, failure FROM yingpan.projection_checkpoints WHERE name = $1',
      [name],
    );
    return rows[0] ?? null;
  }

  /**
   * Applies the next batch of events to one projection. Returns how many log events it consumed
   * (0 when caught up); throws ProjectionFailedError, after recording it, when an event fails.
   */
  async step(projection: Projection): Promise<number> {
    const row = await this.checkpoint(projection.name);
    if (!row) throw new Error(`Projection ${projection.name} is not prepared`);
    if (row.failure) throw new ProjectionFailedError(row.failure);
    const page = await this.store.readAll({ after: row.position, limit: this.batchSize });
    if (page.length === 0) return 0;
    const handled = new Set(projection.handles);
    const schema = schemaOf(projection);
    let current: StoredEvent | null = null;
    try {
      const applied = await this.db.transaction(async (tx) => {
        const { rows } = await tx.query<{ position: number }>(
          'SELECT position FROM yingpan.projection_checkpoints WHERE name = $1 FOR UPDATE',
          [projection.name],
        );
        if (rows[0]?.position !== row.position) return false; // another projector advanced it meanwhile
        for (const event of page) {
          if (!handled.has(event.type)) continue;
          current = event;
          await projection.apply(tx, schema, toProjected(event));
        }
        current = null;
        await tx.query('UPDATE yingpan.projection_checkpoints SET position = $2, updated_at = now() WHERE name = $1', [
          projection.name,
          page[page.length - 1]!.position,
        ]);
        return true;
      });
      if (applied) this.options.onBatch?.(projection.name, page[page.length - 1]!.position);
      return page.length;
    } catch (error) {
      const failed = current as StoredEvent | null;
      if (!failed) throw error; // not the projection's fault (e.g. the database is down): retry later
      const failure: ProjectionFailure = {
        position: failed.position,
        eventId: failed.id,
        eventType: failed.type,
        message: error instanceof Error ? error.message : String(error),
      };
      await this.db.query('UPDATE yingpan.projection_checkpoints SET failure = $2, updated_at = now() WHERE name = $1', [
        projection.name,
        JSON.stringify(failure),
      ]);
      this.options.onFailure?.(projection.name, failure);
      throw new ProjectionFailedError(failure);
    }
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
              const { position } = (await this.checkpoint(projection.name))!;
              await this.store.waitForAppend(position, this.pollIntervalMs, signal);
            }
          } catch (error) {
            if (error instanceof ProjectionFailedError) return;
            await new Promise((resolve) => setTimeout(resolve, this.pollIntervalMs));
          }
        }
      }),
    );
  }

  /** Clears a recorded failure so the projection retries the event (after a fix has been deployed). */
  async retry(name: string): Promise<void> {
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
