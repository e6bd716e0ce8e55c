/**
 * Relay's object identification: `interface Node { id: ID! }` and `node(id:)` / `nodes(ids:)` on Query.
 *
 * A global id is base64 of `Type:localId` (the GraphQL type's name, then the read model's own id: a
 * UUID, or for a type whose objects have no id of their own a composite one its `nodeType` call
 * checks, as an open item's `termId:kind:itemId`). A type joins by calling `nodeType` with the loader
 * of one object: the loader reads through the same read policy as the type's own query (a reader who
 * may not read the object gets `forbidden`, a voter's personal data only where `stationBooks` would
 * serve it), and answers null for an id not known. The types keep their own id fields (`stationId`,
 * `opinionId`, `personId`, …): commands and page addresses take those.
 */
import type { Context } from '../context.ts';
import { builder } from './builder.ts';
import { invalidArgument, isUuid } from './common.ts';

/** The object a loader returned, with the Node type it is (for the interface's `resolveType`). */
const typeOfNode = new WeakMap<object, string>();
const loaders = new Map<string, { load: (context: Context, localId: string) => Promise<object | null>; isLocalId: (localId: string) => boolean }>();

export const toGlobalId = (type: string, localId: string) => Buffer.from(`${type}:${localId}`, 'utf8').toString('base64');

/** `Type:localId` from a global id; an id that is not one of this API's is an argument error naming `field`. */
export function fromGlobalId(globalId: string, field = 'id'): { type: string; localId: string } {
  const text = /^[A-Za-z0-9+/]+={0,2}$/.test(globalId) ? Buffer.from(globalId, 'base64').toString('utf8') : '';
  const match = /^([A-Za-z]+):(.+)$/.exec(text);
  if (!match || !loaders.get(match[1]!)?.isLocalId(match[2]!)) throw invalidArgument(field, 'is not the id of an object (a Node) of this API');
  return { type: match[1]!, localId: match[2]! };
}

export const NodeRef = builder.interfaceRef<object>('Node').implement({
  description: 'An object with a global id: `node(id:)` reads it again, whatever its type (Relay object identification).',
  resolveType: (value) => typeOfNode.get(value) ?? null,
  fields: (t) => ({
    id: t.id({
      description: 'The global id (base64 of `Type:localId`); `node(id:)` takes it.',
      resolve: () => {
        throw new Error('every Node type resolves its own id');
      },
    }),
  }),
});

/**
 * Makes `type` a Node: registers how to load one by its local id and returns its `id` field's options
 * (the global id from `localId(row)`), for the type's `fields`. `isLocalId` checks a local id's shape
 * before anything is read (a UUID unless the type says otherwise): an id of another shape is an
 * argument error, as a malformed global id is.
 */
export function nodeType<Row extends object>(
  type: string,
  localId: (row: Row) => string,
  load: (context: Context, localId: string) => Promise<Row | null | undefined>,
  options: { isLocalId?: (localId: string) => boolean } = {},
) {
  loaders.set(type, {
    isLocalId: options.isLocalId ?? isUuid,
    load: async (context, id) => {
      const row = await load(context, id);
      if (!row) return null;
      // A copy: the loaded object may be a cached one shared with other answers.
      const node = { ...row };
      typeOfNode.set(node, type);
      return node;
    },
  });
  return {
    description: 'The global id (base64 of `Type:localId`); `node(id:)` takes it.',
    resolve: (row: Row) => toGlobalId(type, localId(row)),
  };
}

async function loadNode(context: Context, globalId: string, field: string): Promise<object | null> {
  const { type, localId } = fromGlobalId(globalId, field);
  return loaders.get(type)!.load(context, localId);
}

builder.queryFields((t) => ({
  node: t.field({
    type: NodeRef,
    nullable: true,
    description: 'One object by its global id, under the same read rules as the query that lists it; null when there is no such object.',
    args: { id: t.arg.id({ required: true, description: 'A global id, as a Node’s `id` gives it.' }) },
    resolve: (_, args, context) => loadNode(context, String(args.id), 'id'),
  }),
  nodes: t.field({
    type: [NodeRef],
    nullable: { list: false, items: true },
    description: 'Objects by their global ids, in the order asked: null for an id with no object, an error at the place of one the reader may not read.',
    args: { ids: t.arg.idList({ required: true, description: 'Global ids (at most 100).' }) },
    resolve: (_, args, context) => {
      if (args.ids.length > 100) throw invalidArgument('ids', 'must hold at most 100 ids');
      // Every id is checked before anything is read: one malformed id fails the whole field.
      const ids = args.ids.map(String);
      ids.forEach((id, index) => fromGlobalId(id, `ids[${index}]`));
      return ids.map((id, index) => loadNode(context, id, `ids[${index}]`));
    },
  }),
}));
