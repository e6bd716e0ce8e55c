/**
 * Review (申报 → 审核): the declarations awaiting review county-wide, from the facts read model, a
 * page at a time, for the roles that review them (access.ts); and the stream of any record by id,
 * batch-loaded per request, which the record types of the other areas serve as `streamId` so a
 * client can approve, reject, correct or retract a record without guessing where it lives.
 */
import { createContextCache } from '@pothos/core';
import { resolveCursorConnection } from '@pothos/plugin-relay';
import {
  pendingRecordCount,
  pendingRecords,
  recordDetail,
  streamsOfRecords,
  type PendingFilter,
  type PendingKey,
  type PendingRecordRow,
  type RecordDetailRow,
} from '@yingpan/projections';
import DataLoader from 'dataloader';
import { forbidden, scopesOf } from '../access.ts';
import type { Context } from '../context.ts';
import { builder, MAX_PAGE_SIZE } from './builder.ts';
import { NodeRef, nodeType } from './node.ts';
import { ActKind, checkPageArgs, invalidArgument, isUuid, uuidArg } from './common.ts';
import { personLoader, PersonType } from './people.ts';

// ---------------------------------------------------------------------------------------------
// The stream of a record

/** Per request: the stream of each record asked about in a tick (a page), in one statement. */
const recordStreams = createContextCache((context: Context) => new DataLoader<string, string | null>((ids) => streamsOfRecords(context.db, ids)));

/** The stream `recordId` lives in (null when the facts do not know it yet). */
export const streamOfRecord = (context: Context, recordId: string): Promise<string | null> => recordStreams(context).load(recordId);

/** How the record types describe their `streamId`. */
export const STREAM_ID =
  'The stream the record lives in, as the log names it (e.g. `station:<id>`, `activity:<id>`): what ApproveRecord, RejectRecord, ' +
  'CorrectRecord and RetractRecord take. Null only while the facts read model has not yet caught up with the record.';

// ---------------------------------------------------------------------------------------------
// Pending records

export const PendingRecordType = builder.objectRef<PendingRecordRow>('PendingRecord').implement({
  description: 'A record a deputy declared (申报) that awaits review: approve it, or reject it with a reason.',
  fields: (t) => ({
    recordId: t.exposeID('recordId', { description: 'The record.' }),
    streamId: t.exposeString('streamId', { description: 'The stream it lives in: what ApproveRecord and RejectRecord take.' }),
    act: t.field({ type: ActKind, description: 'The kind of act.', resolve: (record) => record.act }),
    eventType: t.exposeString('eventType', { description: 'The event that declared it, e.g. "StationVisitRecorded".' }),
    personId: t.exposeID('personId', { description: 'The deputy who declared it.' }),
    person: t.field({
      type: PersonType,
      nullable: true,
      description: 'The deputy (null if not in the directory).',
      resolve: (record, _, context) => personLoader(context).load(record.personId),
    }),
    mandateId: t.exposeID('mandateId', { nullable: true, description: 'The seat they acted in, if the record names one.' }),
    date: t.expose('date', { type: 'Date', description: 'The day the act happened (YYYY-MM-DD).' }),
    summary: t.exposeString('summary', {
      nullable: true,
      description: 'What was done, in brief (the record’s summary, description, place or reason; at most 200 characters), if it says.',
    }),
    stationId: t.exposeID('stationId', { nullable: true, description: 'The station, if any.' }),
    activityId: t.exposeID('activityId', { nullable: true, description: 'The organised activity, if any.' }),
    corrected: t.exposeBoolean('corrected', { description: 'Corrected since it was declared.' }),
    position: t.exposeInt('position', { description: 'The log position at which it (or its latest correction) became known.' }),
  }),
});

interface PendingPage {
  edges: readonly { cursor: string; node: PendingRecordRow }[];
  pageInfo: { startCursor?: string | null; endCursor?: string | null; hasPreviousPage: boolean; hasNextPage: boolean };
  filter: PendingFilter;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const encodeCursor = (row: PendingRecordRow) => Buffer.from(JSON.stringify([row.date, row.recordId])).toString('base64url');

function decodeCursor(cursor: string, field: string): PendingKey {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && DATE.test(value[0]) && typeof value[1] === 'string' && isUuid(value[1])) {
      return [value[0], value[1]];
    }
  } catch {
    // reported below
  }
  throw invalidArgument(field, 'is not a cursor of this list');
}

builder.queryFields((t) => ({
  pendingRecords: t.connection(
    {
      type: PendingRecordType,
      authScopes: { reviewQueue: true, ownDeclarations: true },
      description:
        'The declarations awaiting review (申报 → 审核), newest act first (then by record id), optionally of one station or one person. ' +
        'For the roles that review (staff, station managers, committee members, admin); a deputy gets their own declarations only ' +
        '(`personId` omitted or their own; another person is refused); others are refused.',
      args: {
        stationId: t.arg.id({ description: 'Only the records made at this station.' }),
        personId: t.arg.id({ description: 'Only this person’s declarations.' }),
      },
      resolve: async (_, args, context) => {
        const filter: PendingFilter = {
          stationId: args.stationId ? uuidArg(args.stationId, 'stationId') : undefined,
          personId: args.personId ? uuidArg(args.personId, 'personId') : undefined,
        };
        if (!scopesOf(context.actor).reviewQueue) {
          // A deputy: their own declarations only.
          if (filter.personId && filter.personId !== context.actor.personId) throw forbidden(context.actor);
          filter.personId = context.actor.personId;
        }
        const after = args.after ? decodeCursor(args.after, 'after') : null;
        const before = args.before ? decodeCursor(args.before, 'before') : null;
        checkPageArgs(args);
        const page = await resolveCursorConnection<Promise<PendingRecordRow[]>>(
          { args, toCursor: encodeCursor, maxSize: MAX_PAGE_SIZE },
          async ({ limit, inverted }) => {
            const rows = await pendingRecords(context.db, { ...filter, limit, after, before, inverted });
            for (const row of rows) recordStreams(context).prime(row.recordId, row.streamId);
            return rows;
          },
        );
        return { ...page, filter } satisfies PendingPage;
      },
    },
    {
      name: 'PendingRecordConnection',
      description: `Declarations awaiting review, a page at a time (at most ${MAX_PAGE_SIZE} a page, 20 when \`first\` is omitted).`,
      edgesField: { description: 'This page’s records, in order.' },
      fields: (t) => ({
        totalCount: t.int({
          description: 'Records awaiting review (of the station or person asked about), every page together.',
          resolve: (page, _, context) => pendingRecordCount(context.db, (page as unknown as PendingPage).filter),
        }),
      }),
    },
    { name: 'PendingRecordEdge', description: 'One pending record in a page, with its cursor.', nodeField: { description: 'The record.' } },
  ),
}));

// ---------------------------------------------------------------------------------------------
// One record where it is shown: to correct or retract it there

export const ActRecordType = builder.objectRef<RecordDetailRow>('ActRecord').implement({
  description: 'One record of an act as it stands now, with the data its latest version states: what a correction starts from.',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id(
      nodeType<RecordDetailRow>(
        'ActRecord',
        (record) => record.recordId,
        // The same rule as `actRecord`: the roles that review and record.
        async (context, recordId) => {
          if (!scopesOf(context.actor).reviewQueue) throw forbidden(context.actor);
          const record = await recordDetail(context.db, recordId);
          if (record) recordStreams(context).prime(record.recordId, record.streamId);
          return record;
        },
      ),
    ),
    recordId: t.exposeID('recordId', { description: 'The record.' }),
    streamId: t.exposeString('streamId', { description: 'The stream it lives in: what CorrectRecord and RetractRecord take.' }),
    eventType: t.exposeString('eventType', { description: 'The event that created it.' }),
    act: t.field({ type: ActKind, description: 'The kind of act.', resolve: (record) => record.act }),
    personId: t.exposeID('personId', { description: 'Who did it.' }),
    person: t.field({
      type: PersonType,
      nullable: true,
      description: 'Who did it, from the directory.',
      resolve: (record, _, context) => personLoader(context).load(record.personId),
    }),
    mandateId: t.exposeID('mandateId', { nullable: true, description: 'The seat or post it was done in.' }),
    date: t.expose('date', { type: 'Date', description: 'The day it happened.' }),
    status: t.exposeString('status', { description: 'pending, approved, rejected, retracted or withdrawn.' }),
    declared: t.exposeBoolean('declared', { description: 'Declared by the deputy (申报) rather than recorded by staff.' }),
    corrected: t.exposeBoolean('corrected', { description: 'Corrected since first recorded (the original stays in the log).' }),
    stationId: t.exposeID('stationId', { nullable: true, description: 'The station, if any.' }),
    activityId: t.exposeID('activityId', { nullable: true, description: 'The organised activity, if any.' }),
    data: t.string({ description: 'The record’s data as its latest version states it, as JSON text.', resolve: (record) => JSON.stringify(record.data) }),
  }),
});

builder.queryFields((t) => ({
  actRecord: t.field({
    type: ActRecordType,
    nullable: true,
    authScopes: { reviewQueue: true },
    description:
      'One record of an act by its id, as it stands now (null for an id not known): the page that shows a record corrects or retracts it from here. ' +
      'For the roles that review and record (staff, station managers, committee members, admin).',
    args: { recordId: t.arg.id({ required: true, description: 'The record.' }) },
    resolve: async (_, args, context) => {
      const record = await recordDetail(context.db, uuidArg(args.recordId, 'recordId'));
      if (record) recordStreams(context).prime(record.recordId, record.streamId);
      return record;
    },
  }),
}));
