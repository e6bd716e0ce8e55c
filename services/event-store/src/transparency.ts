/**
 * The log as a transparency log (docs/decisions.md §11): its RFC 9162 Merkle tree, kept in
 * yingpan.merkle_nodes as complete subtrees by the database as events are appended (migration
 * 0004), roots and proofs read from a handful of stored nodes, and signed checkpoints kept in
 * yingpan.checkpoints. SQL stores only (PostgreSQL, PGlite).
 */
import type { Queryable } from '@yingpan/db';
import {
  EMPTY_ROOT,
  consistencyRanges,
  foldSubtrees,
  inclusionRanges,
  leafHash,
  perfectSubtrees,
  subtreesOf,
  verifyConsistency,
  type LeafRange,
  type SubtreeId,
} from './merkle.ts';
import { checkpointBody, signNote, type NoteSigner } from './note.ts';

export type TransparencyFailure =
  /** A position or tree size past the tree. */
  | 'past-the-tree'
  /** No such event, or no checkpoint of that size. */
  | 'not-found'
  /** Sizes that cannot be compared (a larger tree "before" a smaller one). */
  | 'invalid-range'
  /** The tree or the log no longer agrees with a checkpoint kept earlier, or the tree with the log. */
  | 'rewritten'
  /** A node the tree must hold is missing (a gap in the log, or the tree changed behind the store's back). */
  | 'missing-node';

/** A refusal, `failure` naming what failed. */
export class TransparencyError extends Error {
  constructor(
    readonly failure: TransparencyFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TransparencyError';
  }
}

export interface StoredCheckpoint {
  id: number;
  origin: string;
  treeSize: number;
  rootHash: Buffer;
  keyName: string;
  /** 8 hex digits. */
  keyId: string;
  /** The signed note, as issued. */
  note: string;
  issuedAt: string;
}

export interface InclusionProof {
  /** The event's log position (leaf index + 1). */
  position: number;
  leafIndex: number;
  treeSize: number;
  /** The leaf: the event's chain hash (hex), as the tree holds it. */
  eventHash: string;
  /** The proof, sibling next to the leaf first. */
  hashes: Buffer[];
  rootHash: Buffer;
}

export interface ConsistencyProof {
  fromSize: number;
  toSize: number;
  fromRoot: Buffer;
  toRoot: Buffer;
  hashes: Buffer[];
}

interface CheckpointRow {
  id: number;
  origin: string;
  tree_size: number;
  root_hash: Uint8Array;
  key_name: string;
  key_id: string;
  note: string;
  issued_at: Date;
}

const CHECKPOINT_COLUMNS = 'id, origin, tree_size, root_hash, key_name, key_id, note, issued_at';

const toCheckpoint = (row: CheckpointRow): StoredCheckpoint => ({
  id: Number(row.id),
  origin: row.origin,
  treeSize: Number(row.tree_size),
  rootHash: Buffer.from(row.root_hash),
  keyName: row.key_name,
  keyId: row.key_id,
  note: row.note,
  issuedAt: row.issued_at.toISOString(),
});

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const nodeKey = (id: SubtreeId) => `${id.level}:${id.index}`;

export class TransparencyLog {
  constructor(private readonly db: Queryable) {}

  /** Leaves in the tree: the log's length (the database keeps them equal as events are appended). */
  async size(): Promise<number> {
    const { rows } = await this.db.query<{ size: number }>('SELECT coalesce(max(idx) + 1, 0) AS size FROM yingpan.merkle_nodes WHERE level = 0');
    return Number(rows[0]?.size ?? 0);
  }

  /** Adds to the tree any event it lacks (appends do this themselves; rows written with triggers off do not). Returns the size. */
  async catchUp(): Promise<number> {
    const { rows } = await this.db.query<{ size: number }>('SELECT yingpan.merkle_catch_up() AS size');
    return Number(rows[0]!.size);
  }

  /** The stored hashes of these complete subtrees, in one query; a missing one is a refusal. */
  private async subtrees(ids: readonly SubtreeId[]): Promise<(id: SubtreeId) => Buffer> {
    const found = new Map<string, Buffer>();
    if (ids.length > 0) {
      const { rows } = await this.db.query<{ level: number; idx: number; hash: Uint8Array }>(
        `SELECT n.level, n.idx, n.hash FROM unnest($1::smallint[], $2::bigint[]) AS want(level, idx)
           JOIN yingpan.merkle_nodes n ON n.level = want.level AND n.idx = want.idx`,
        [ids.map((id) => id.level), ids.map((id) => id.index)],
      );
      for (const row of rows) found.set(`${row.level}:${Number(row.idx)}`, Buffer.from(row.hash));
    }
    return (id) => {
      const hash = found.get(nodeKey(id));
      if (!hash) {
        throw new TransparencyError(
          'missing-node',
          `the tree holds no node at level ${id.level}, index ${id.index}: the log has a gap there or the tree was changed behind the store's back`,
        );
      }
      return hash;
    };
  }

  private async rangeHashes(ranges: readonly LeafRange[]): Promise<Buffer[]> {
    const node = await this.subtrees(subtreesOf(ranges));
    return ranges.map((range) => foldSubtrees(perfectSubtrees(range).map(node)));
  }

  private async checkSize(size: number, what: string): Promise<number> {
    const current = await this.size();
    if (!Number.isSafeInteger(size) || size < 0) throw new TransparencyError('invalid-range', `${what} must be a whole number, not ${size}`);
    if (size > current) throw new TransparencyError('past-the-tree', `${what} ${size} is past the tree: it has ${current} leaves (events)`);
    return current;
  }

  /** MTH of the first `size` leaves. */
  async root(size?: number): Promise<{ size: number; root: Buffer }> {
    const current = await this.size();
    const at = size ?? current;
    await this.checkSize(at, 'tree size');
    if (at === 0) return { size: 0, root: EMPTY_ROOT };
    const [root] = await this.rangeHashes([{ start: 0, end: at }]);
    return { size: at, root: root! };
  }

  /** The proof that the event at `position` is in the tree of `treeSize` leaves (default: the whole tree). */
  async inclusionProof(position: number, treeSize?: number): Promise<InclusionProof> {
    const current = await this.size();
    const size = treeSize ?? current;
    await this.checkSize(size, 'tree size');
    if (!Number.isSafeInteger(position) || position < 1) throw new TransparencyError('invalid-range', `a log position is 1 or more, not ${position}`);
    if (position > size) {
      throw new TransparencyError(
        'past-the-tree',
        `position ${position} is past the tree of ${size} leaves${size === current ? '' : ` (the whole tree has ${current})`}`,
      );
    }
    const index = position - 1;
    const [leafRows, hashes, roots] = await Promise.all([
      this.db.query<{ hash: Uint8Array; event_hash: string | null }>(
        `SELECT n.hash, e.hash AS event_hash FROM yingpan.merkle_nodes n LEFT JOIN yingpan.events e ON e.position = n.idx + 1
          WHERE n.level = 0 AND n.idx = $1`,
        [index],
      ),
      this.rangeHashes(inclusionRanges(index, size)),
      this.rangeHashes([{ start: 0, end: size }]),
    ]);
    const leaf = leafRows.rows[0];
    if (!leaf) throw new TransparencyError('missing-node', `the tree holds no leaf for position ${position}`);
    const eventHash = leaf.event_hash;
    if (eventHash === null || !/^[0-9a-f]{64}$/.test(eventHash) || !leafHash(Buffer.from(eventHash, 'hex')).equals(Buffer.from(leaf.hash))) {
      throw new TransparencyError(
        'rewritten',
        `position ${position}: the event's hash ${eventHash ?? '(no event)'} is not the leaf the tree holds: the log was rewritten behind the store's back`,
      );
    }
    return { position, leafIndex: index, treeSize: size, eventHash, hashes, rootHash: roots[0]! };
  }

  /** The proof that the tree of `fromSize` leaves is a prefix of the tree of `toSize` (default: the whole tree). */
  async consistencyProof(fromSize: number, toSize?: number): Promise<ConsistencyProof> {
    const current = await this.size();
    const to = toSize ?? current;
    await this.checkSize(to, 'tree size');
    if (!Number.isSafeInteger(fromSize) || fromSize < 0) throw new TransparencyError('invalid-range', `a tree size is a whole number, not ${fromSize}`);
    if (fromSize > to)
      throw new TransparencyError(
        'invalid-range',
        `the tree of ${fromSize} leaves is larger than the tree of ${to}: a consistency proof goes from the smaller to the larger`,
      );
    const [hashes, roots] = await Promise.all([
      this.rangeHashes(consistencyRanges(fromSize, to)),
      this.rangeHashes([...(fromSize > 0 ? [{ start: 0, end: fromSize }] : []), ...(to > 0 ? [{ start: 0, end: to }] : [])]),
    ]);
    const fromRoot = fromSize === 0 ? EMPTY_ROOT : roots[0]!;
    const toRoot = to === 0 ? EMPTY_ROOT : roots.at(-1)!;
    return { fromSize, toSize: to, fromRoot, toRoot, hashes };
  }

  // -------------------------------------------------------------------------------------------
  // Checkpoints.

  async checkpoints(options: { limit?: number; before?: number } = {}): Promise<StoredCheckpoint[]> {
    const { rows } = await this.db.query<CheckpointRow>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM yingpan.checkpoints WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
      [options.before ?? null, options.limit ?? 100],
    );
    return rows.map(toCheckpoint);
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | null> {
    return (await this.checkpoints({ limit: 1 }))[0] ?? null;
  }

  /** The latest checkpoint issued at exactly this tree size, if any. */
  async checkpointAt(treeSize: number): Promise<StoredCheckpoint | null> {
    const { rows } = await this.db.query<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM yingpan.checkpoints WHERE tree_size = $1 ORDER BY id DESC LIMIT 1`, [
      treeSize,
    ]);
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  /**
   * Refuses when the tree no longer holds `checkpoint`'s root at its size, or no longer
   * extends it: the log was rewritten below it (the kept checkpoint is the evidence).
   */
  async checkAgainst(checkpoint: Pick<StoredCheckpoint, 'treeSize' | 'rootHash'>): Promise<void> {
    const current = await this.size();
    if (checkpoint.treeSize > current) {
      throw new TransparencyError(
        'rewritten',
        `the tree has ${current} leaves, fewer than the ${checkpoint.treeSize} of a checkpoint issued earlier: events were cut from the log`,
      );
    }
    const { hashes, fromRoot: root, toRoot } = await this.consistencyProof(checkpoint.treeSize, current);
    if (!root.equals(checkpoint.rootHash)) {
      throw new TransparencyError(
        'rewritten',
        `the log was rewritten below the checkpoint of size ${checkpoint.treeSize}: the tree's root at that size is ${hex(root)}, the checkpoint says ${hex(checkpoint.rootHash)}`,
      );
    }
    const check = verifyConsistency(checkpoint.treeSize, current, hashes, root, toRoot);
    if (!check.ok) throw new TransparencyError('rewritten', `the tree does not extend the checkpoint of size ${checkpoint.treeSize}: ${check.reason}`);
  }

  /**
   * Signs and keeps a checkpoint of the whole tree. The tree must still hold the latest
   * checkpoint issued (else a refusal, `rewritten`). When the tree has not grown since a
   * checkpoint signed by the same key for the same origin, that one is returned and nothing is
   * kept (`issued: false`).
   */
  async issueCheckpoint(signer: NoteSigner, origin: string): Promise<{ checkpoint: StoredCheckpoint; issued: boolean }> {
    const size = await this.catchUp();
    const latest = await this.latestCheckpoint();
    if (latest) await this.checkAgainst(latest);
    const keyId = signer.keyId.toString('hex');
    if (latest && latest.treeSize === size && latest.origin === origin && latest.keyName === signer.name && latest.keyId === keyId) {
      return { checkpoint: latest, issued: false };
    }
    const { root } = await this.root(size);
    const note = signNote(checkpointBody({ origin, treeSize: size, rootHash: root }), [signer]);
    const { rows } = await this.db.query<CheckpointRow>(
      `INSERT INTO yingpan.checkpoints (origin, tree_size, root_hash, key_name, key_id, note) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${CHECKPOINT_COLUMNS}`,
      [origin, size, root, signer.name, keyId, note],
    );
    return { checkpoint: toCheckpoint(rows[0]!), issued: true };
  }

  /**
   * Compares the tree with the log and with every checkpoint kept: each leaf is its event's chain
   * hash, and the tree still holds each checkpoint's root. Walks the whole log (pages of 10,000).
   */
  async audit(): Promise<{ leaves: number; checkpoints: number }> {
    let leaves = 0;
    for (let after = 0; ; ) {
      const { rows } = await this.db.query<{ position: number; event_hash: string | null; leaf: Uint8Array | null }>(
        `SELECT e.position, e.hash AS event_hash, n.hash AS leaf FROM yingpan.events e
           LEFT JOIN yingpan.merkle_nodes n ON n.level = 0 AND n.idx = e.position - 1
          WHERE e.position > $1 ORDER BY e.position LIMIT 10000`,
        [after],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        const position = Number(row.position);
        if (!row.leaf) throw new TransparencyError('missing-node', `position ${position} has no leaf in the tree`);
        if (!row.event_hash || !/^[0-9a-f]{64}$/.test(row.event_hash) || !leafHash(Buffer.from(row.event_hash, 'hex')).equals(Buffer.from(row.leaf))) {
          throw new TransparencyError(
            'rewritten',
            `position ${position}: the event's hash is not the leaf the tree holds: the log was rewritten behind the store's back`,
          );
        }
        leaves += 1;
        after = position;
      }
    }
    const size = await this.size();
    if (size !== leaves) throw new TransparencyError('rewritten', `the tree has ${size} leaves and the log ${leaves} events`);
    let count = 0;
    for (let before: number | undefined; ; ) {
      const page = await this.checkpoints({ limit: 100, before });
      if (page.length === 0) break;
      for (const checkpoint of page) {
        const { root } = await this.root(checkpoint.treeSize).catch(() => ({ root: null }));
        if (!root?.equals(checkpoint.rootHash)) {
          throw new TransparencyError(
            'rewritten',
            `the checkpoint of size ${checkpoint.treeSize} issued ${checkpoint.issuedAt} no longer matches the tree: the log was rewritten below it`,
          );
        }
        count += 1;
      }
      before = page.at(-1)!.id;
    }
    return { leaves, checkpoints: count };
  }
}
