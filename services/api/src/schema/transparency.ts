/**
 * The log as a transparency log (docs/decisions.md §11): signed checkpoints of its RFC 9162
 * Merkle tree and the key that signs them are open to everyone, so outsiders can keep them; proofs
 * that an event is in a checkpointed tree (inclusion) and that a later tree extends an earlier one
 * (consistency) are for whoever may read the log (access.ts); auditors and administrators issue a
 * checkpoint on demand (the API also issues one every hour, main.ts).
 */
import {
  TransparencyError,
  verifierKeyOf,
  type ConsistencyProof as ConsistencyProofValue,
  type InclusionProof as InclusionProofValue,
  type StoredCheckpoint,
  type TransparencyLog,
} from '@yingpan/event-store';
import type { Context } from '../context.ts';
import { builder, MAX_PAGE_SIZE } from './builder.ts';
import { pageSize } from './common.ts';
import { EventRef } from './audit.ts';
import { type ErrorCode, requestError } from '../errors.ts';

/** A refusal passed to the client unmasked: its code names what failed. */
const refusal = (code: ErrorCode, en: string, zh: string) => requestError(code, { en, zh });

const ZH: Record<string, string> = {
  'past-the-tree': '超出当前默克尔树的范围',
  'not-found': '未找到',
  'invalid-range': '树的大小或位置无效',
  rewritten: '日志在已签发的检查点之下被改写',
  'missing-node': '默克尔树缺少节点',
};

/** Runs `work` on the tree, turning the store's refusals into GraphQL errors that name what failed. */
async function onTree<T>(context: Context, work: (log: TransparencyLog) => Promise<T>): Promise<T> {
  const { log } = context.transparency;
  if (!log) {
    throw refusal(
      'no-merkle-tree',
      'Checkpoints and proofs need the SQL event store (PostgreSQL or PGlite); a KurrentDB log has no Merkle tree yet.',
      '检查点与证明需要 SQL 事件存储',
    );
  }
  try {
    return await work(log);
  } catch (error) {
    if (error instanceof TransparencyError) throw refusal(error.failure, error.message, ZH[error.failure] ?? error.message);
    throw error;
  }
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const CheckpointRef = builder.objectRef<StoredCheckpoint>('Checkpoint').implement({
  description:
    'A signed checkpoint of the log’s Merkle tree (C2SP tlog-checkpoint, a signed note): the origin, the tree size and the root hash, ' +
    'signed with the key `checkpointPublicKey` publishes. Keep it: any later tree must be consistent with it.',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'The checkpoint’s number, in the order issued.' }),
    origin: t.exposeString('origin', { description: 'The log it speaks for (its first line).' }),
    treeSize: t.exposeInt('treeSize', { description: 'Leaves (events) in the tree: positions 1 … treeSize.' }),
    rootHash: t.string({ description: 'The tree’s root hash, hex.', resolve: (checkpoint) => hex(checkpoint.rootHash) }),
    keyName: t.exposeString('keyName', { description: 'The signing key’s name.' }),
    keyId: t.exposeString('keyId', { description: 'The signing key’s id (8 hex digits).' }),
    note: t.exposeString('note', { description: 'The signed note exactly as issued: body, blank line, signature line.' }),
    issuedAt: t.expose('issuedAt', { type: 'DateTime', description: 'When it was issued (ISO instant).' }),
  }),
});

interface PublicKey {
  name: string;
  keyId: Buffer;
  publicKey: Buffer;
  origin: string;
}

const CheckpointPublicKeyRef = builder.objectRef<PublicKey>('CheckpointPublicKey').implement({
  description: 'The key that signs the checkpoints (Ed25519), for anyone to check them with.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The key’s name, as on each signature line.' }),
    keyId: t.string({
      description: 'The key id (8 hex digits): the first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).',
      resolve: (key) => hex(key.keyId),
    }),
    publicKey: t.string({ description: 'The 32-byte Ed25519 public key, base64.', resolve: (key) => key.publicKey.toString('base64') }),
    verifierKey: t.string({
      description: 'The key in the signed-note verifier format: <name>+<hex key id>+<base64(0x01 ‖ public key)>.',
      resolve: (key) => verifierKeyOf(key),
    }),
    origin: t.exposeString('origin', { description: 'The origin line of this log’s checkpoints.' }),
  }),
});

type Inclusion = InclusionProofValue & { eventId: string | null };

const InclusionProofRef = builder.objectRef<Inclusion>('InclusionProof').implement({
  description:
    'The proof that an event is in the tree of `treeSize` leaves (RFC 9162 §2.1.3): hash the leaf (SHA-256 of 0x00 and the 32 bytes of ' +
    '`eventHash`), fold in `hashes` as RFC 9162 §2.1.3.2 says, and compare with the root of a checkpoint of that size.',
  fields: (t) => ({
    position: t.exposeInt('position', { description: 'The event’s log position (leaf index + 1).' }),
    leafIndex: t.exposeInt('leafIndex', { description: 'The leaf’s index in the tree (0-based).' }),
    treeSize: t.exposeInt('treeSize', { description: 'The size of the tree the proof is for.' }),
    eventId: t.exposeString('eventId', { nullable: true, description: 'The event’s id.' }),
    eventHash: t.exposeString('eventHash', { description: 'The leaf: the event’s chain hash (hex).' }),
    hashes: t.stringList({ description: 'The proof’s hashes (hex), the sibling next to the leaf first.', resolve: (proof) => proof.hashes.map(hex) }),
    rootHash: t.string({ description: 'The root of the tree of `treeSize` leaves (hex).', resolve: (proof) => hex(proof.rootHash) }),
    event: t.field({
      type: EventRef,
      nullable: true,
      description: 'The event itself, to recompute its chain hash from its content.',
      resolve: async (proof, _, context) => (await context.store.readAll({ after: proof.position - 1, limit: 1 }))[0] ?? null,
    }),
    checkpoint: t.field({
      type: CheckpointRef,
      nullable: true,
      description: 'The latest checkpoint issued at exactly this tree size, if any.',
      resolve: (proof, _, context) => onTree(context, (log) => log.checkpointAt(proof.treeSize)),
    }),
  }),
});

const ConsistencyProofRef = builder.objectRef<ConsistencyProofValue>('ConsistencyProof').implement({
  description:
    'The proof that the tree of `fromSize` leaves is a prefix of the tree of `toSize` (RFC 9162 §2.1.4): nothing before `fromSize` was ' +
    'changed, removed or reordered. Verify it with the roots of two checkpoints you kept (RFC 9162 §2.1.4.2).',
  fields: (t) => ({
    fromSize: t.exposeInt('fromSize', { description: 'The smaller tree’s size.' }),
    toSize: t.exposeInt('toSize', { description: 'The larger tree’s size.' }),
    fromRoot: t.string({
      description: 'The smaller tree’s root as the log holds it now (hex): it must equal the root of your checkpoint of that size.',
      resolve: (proof) => hex(proof.fromRoot),
    }),
    toRoot: t.string({ description: 'The larger tree’s root (hex).', resolve: (proof) => hex(proof.toRoot) }),
    hashes: t.stringList({ description: 'The proof’s hashes (hex), in RFC 9162 order.', resolve: (proof) => proof.hashes.map(hex) }),
    fromCheckpoint: t.field({
      type: CheckpointRef,
      nullable: true,
      description: 'The latest checkpoint issued at `fromSize`, if any.',
      resolve: (proof, _, context) => onTree(context, (log) => log.checkpointAt(proof.fromSize)),
    }),
    toCheckpoint: t.field({
      type: CheckpointRef,
      nullable: true,
      description: 'The latest checkpoint issued at `toSize`, if any.',
      resolve: (proof, _, context) => onTree(context, (log) => log.checkpointAt(proof.toSize)),
    }),
  }),
});

const IssuedCheckpointRef = builder.objectRef<{ checkpoint: StoredCheckpoint; issued: boolean }>('IssuedCheckpoint').implement({
  description: 'The checkpoint of the whole tree, and whether it was issued now.',
  fields: (t) => ({
    checkpoint: t.field({ type: CheckpointRef, description: 'The checkpoint.', resolve: (result) => result.checkpoint }),
    issued: t.exposeBoolean('issued', { description: 'False when the tree had not grown since the latest checkpoint, which is returned instead.' }),
  }),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

builder.queryFields((t) => ({
  checkpoints: t.field({
    type: [CheckpointRef],
    skipTypeScopes: true,
    description: `Checkpoints issued, newest first (open to everyone). At most ${MAX_PAGE_SIZE} a page; \`before\` is the id of the last one of the previous page.`,
    args: {
      first: t.arg.int({ description: `How many (default 20, at most ${MAX_PAGE_SIZE}).` }),
      before: t.arg.int({ description: 'Only checkpoints issued before the one with this id.' }),
    },
    resolve: (_, args, context) => onTree(context, (log) => log.checkpoints({ limit: pageSize(args.first), before: args.before ?? undefined })),
  }),
  latestCheckpoint: t.field({
    type: CheckpointRef,
    nullable: true,
    skipTypeScopes: true,
    description: 'The checkpoint issued last (open to everyone); null before the first.',
    resolve: (_, __, context) => onTree(context, (log) => log.latestCheckpoint()),
  }),
  checkpointPublicKey: t.field({
    type: CheckpointPublicKeyRef,
    skipTypeScopes: true,
    description: 'The key checkpoints are signed with (open to everyone).',
    resolve: (_, __, { transparency }) => ({ ...transparency.signer, origin: transparency.origin }),
  }),
  inclusionProof: t.field({
    authScopes: { auditLog: true },
    type: InclusionProofRef,
    description:
      'The proof that an event (by id or by position) is in the tree of `treeSize` leaves; without `treeSize`, the tree of the latest ' +
      'checkpoint when it holds the event, else the whole tree.',
    args: {
      eventId: t.arg.id({ description: 'The event’s id.' }),
      position: t.arg.int({ description: 'The event’s log position.' }),
      treeSize: t.arg.int({ description: 'The tree the proof is for (e.g. a checkpoint’s size).' }),
    },
    resolve: (_, args, context) =>
      onTree(context, async (log) => {
        if ((args.eventId == null) === (args.position == null))
          throw refusal('invalid-arguments', 'Give exactly one of eventId and position', '请只提供 eventId 或 position 之一');
        let position = args.position ?? null;
        let eventId: string | null = null;
        if (args.eventId != null) {
          eventId = String(args.eventId);
          const { rows } = UUID.test(eventId)
            ? await context.db.query<{ position: number }>('SELECT position FROM yingpan.events WHERE event_id = $1', [eventId])
            : { rows: [] };
          if (!rows[0]) throw refusal('not-found', `No event with id ${eventId} in the log`, `日志中没有该事件：${eventId}`);
          position = Number(rows[0].position);
        } else {
          const { rows } = await context.db.query<{ event_id: string }>('SELECT event_id FROM yingpan.events WHERE position = $1', [position]);
          eventId = rows[0]?.event_id ?? null;
        }
        let treeSize = args.treeSize ?? undefined;
        if (treeSize === undefined) {
          const latest = await log.latestCheckpoint();
          if (latest && latest.treeSize >= position!) treeSize = latest.treeSize;
        }
        return { ...(await log.inclusionProof(position!, treeSize)), eventId };
      }),
  }),
  consistencyProof: t.field({
    skipTypeScopes: true,
    type: ConsistencyProofRef,
    description:
      'The proof that the tree of `from` leaves is a prefix of the tree of `to` leaves (default: the whole tree). Open to everyone, as ' +
      'checkpoints are: it holds only hashes of the tree’s nodes, no event, so a witness outside the congress can check that the log only grew.',
    args: {
      from: t.arg.int({ required: true, description: 'The smaller tree’s size (e.g. a checkpoint you kept).' }),
      to: t.arg.int({ description: 'The larger tree’s size; default: the whole tree.' }),
    },
    resolve: (_, args, context) => onTree(context, (log) => log.consistencyProof(args.from, args.to ?? undefined)),
  }),
}));

builder.mutationField('issueCheckpoint', (t) =>
  t.field({
    authScopes: { auditLog: true },
    type: IssuedCheckpointRef,
    description:
      'Signs and keeps a checkpoint of the whole tree now (auditors and administrators; the API also issues one every hour when the log ' +
      'has grown). Refused, code "rewritten", when the tree no longer holds the latest checkpoint issued.',
    resolve: (_, __, context) => onTree(context, (log) => log.issueCheckpoint(context.transparency.signer, context.transparency.origin)),
  }),
);
