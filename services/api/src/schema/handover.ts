/**
 * Term handover (换届交接): the dossier of a closed term — seats, stations, committee portfolios,
 * pairings and the items left open, each with its inheritor or flagged — "what I inherited", and
 * any mandate's record for whoever takes the seat after it. Read from the handover read model.
 */
import {
  END_REASON_LABELS,
  type EndReason,
  eventLabel,
  ITEM_FIELD_LABELS,
  PAIRING_KIND_LABELS,
  PAIRING_KINDS,
  type PairingKind as PairingKindValue,
} from '@yingpan/domain';
import {
  handoverDossier,
  HANDOVER_FLAG_LABELS,
  inherited,
  predecessorRecord,
  type HandoverDossier,
  type HandoverFlag as HandoverFlagValue,
  type HandoverItemVersion,
  type HandoverPerson,
  type HandoverSeat,
  type HandoverTerm,
  type InheritanceRule as InheritanceRuleValue,
  type InheritedItem,
  type HandoverAction,
  type OpenItem,
  type OpenItemKind as OpenItemKindValue,
  openItemsAtClose,
  type PairingHandover,
  type PortfolioHandover,
  type PredecessorRecord,
  type PredecessorRecordEntry,
  type SeatHandover,
  type StationHandover,
  termsInView,
} from '@yingpan/projections';
import { AsOfInput } from './as-of.ts';
import { cachedWhileUnchanged } from '../read-cache.ts';
import { builder } from './builder.ts';
import { NodeRef, nodeType } from './node.ts';
import {
  ActCount,
  ActKind,
  AS_OF,
  datedList,
  datedListArgs,
  Level,
  isUuid,
  MandateKind,
  pageOf,
  pageTypes,
  readAsOf,
  Team,
  uuidArg,
  vocabulary,
} from './common.ts';
import { STREAM_ID, streamOfRecord } from './review.ts';

const OPEN_ITEM_KINDS = ['opinion', 'suggestion', 'pairing', 'station-duties'] as const satisfies readonly OpenItemKindValue[];
const OpenItemKind = vocabulary(
  'OpenItemKind',
  'Kinds of item left open at a term change.',
  OPEN_ITEM_KINDS,
  (kind) =>
    ({ opinion: '选民意见建议（未办结）', suggestion: '议案建议（未答复）', pairing: '结队帮带（未结束）', 'station-duties': '家站职责（负责人更换）' })[kind],
);

const INHERITANCE_RULES = [
  're-elected-same-station',
  'station-manager',
  're-elected',
  'handed-over',
  'reassigned',
] as const satisfies readonly InheritanceRuleValue[];
const InheritanceRule = vocabulary(
  'InheritanceRule',
  'Why an open item passed to its inheritor.',
  INHERITANCE_RULES,
  (rule) =>
    ({
      're-elected-same-station': '连任并仍在同一家站的接待代表',
      'station-manager': '家站新负责人（按职务承接）',
      're-elected': '连任的领衔代表或帮带人',
      'handed-over': '帮带关系已交接给新的帮带人',
      reassigned: '工作人员重新指定的接收人',
    })[rule],
);

const HANDOVER_FLAGS = Object.keys(HANDOVER_FLAG_LABELS) as HandoverFlagValue[];
const HandoverFlag = vocabulary(
  'HandoverFlag',
  'Why an open item has no inheritor (flagged, never dropped).',
  HANDOVER_FLAGS,
  (flag) => HANDOVER_FLAG_LABELS[flag].zh,
);

export const PairingKind = vocabulary('PairingKind', 'Kinds of pairing (结队帮带).', PAIRING_KINDS, (kind) => PAIRING_KIND_LABELS[kind].zh);

const json = (value: unknown) => JSON.stringify(value ?? null);

// ---------------------------------------------------------------------------------------------
// Types

const HandoverTermType = builder.objectRef<HandoverTerm>('HandoverTerm').implement({
  description: 'A term (届) as seen in the view.',
  fields: (t) => ({
    termId: t.exposeID('termId', { description: 'The term.' }),
    number: t.exposeInt('number', { description: 'Its ordinal, e.g. 17 for 第十七届.' }),
    startsOn: t.expose('startsOn', { type: 'Date', description: 'Its first day.' }),
    closedOn: t.expose('closedOn', { type: 'Date', nullable: true, description: 'The day it closed (换届), if it had in the view.' }),
  }),
});

const HandoverPersonType = builder.objectRef<HandoverPerson>('HandoverPerson').implement({
  description: 'A person in a handover, with the mandate they act in.',
  fields: (t) => ({
    personId: t.exposeID('personId', { description: 'The person.' }),
    name: t.exposeString('name', { nullable: true, description: 'Their name (null if not in the directory).' }),
    mandateId: t.exposeID('mandateId', { nullable: true, description: 'The mandate they act in (null when none applies).' }),
  }),
});

const Inheritor = builder.objectRef<NonNullable<OpenItem['inheritor']>>('Inheritor').implement({
  description: 'Who inherits an open item, and by which rule.',
  fields: (t) => ({
    personId: t.exposeID('personId', { description: 'The inheritor.' }),
    name: t.exposeString('name', { nullable: true, description: 'Their name.' }),
    mandateId: t.exposeID('mandateId', { nullable: true, description: 'The new mandate they inherit it in.' }),
    rule: t.field({ type: InheritanceRule, description: 'Why it is theirs.', resolve: (inheritor) => inheritor.rule }),
  }),
});

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-/i;

/** An item's fields as a line of words: the vocabulary's labels, no ids, no nested records. */
function itemDetails(data: Record<string, unknown>): string {
  return Object.entries(data)
    .filter(([key, value]) => ITEM_FIELD_LABELS[key] && value !== null && value !== '' && typeof value !== 'object' && !UUID_TEXT.test(String(value)))
    .map(([key, value]) => `${ITEM_FIELD_LABELS[key]!.zh}：${String(value)}`)
    .join('；');
}

const ItemVersion = builder.objectRef<HandoverItemVersion>('HandoverItemVersion').implement({
  description: 'One version of an open item: what one event made of it, and when that became known.',
  fields: (t) => ({
    version: t.exposeInt('version', { description: '1 for the event that created the item, one more for each change.' }),
    eventType: t.exposeString('eventType', { description: 'The event behind it, e.g. OpinionReferred.' }),
    eventLabel: t.string({
      description: 'The event in words, in Chinese (e.g. 交办), from the one vocabulary.',
      resolve: (version) => eventLabel(version.eventType).zh,
    }),
    eventLabelEn: t.string({ description: 'The same in English.', resolve: (version) => eventLabel(version.eventType).en }),
    status: t.exposeString('status', { description: 'The item’s status after it (e.g. registered, referred, answered, closed).' }),
    on: t.expose('on', { type: 'Date', description: 'The day the change took effect.' }),
    personId: t.exposeID('personId', { nullable: true, description: 'The person it named, if any.' }),
    mandateId: t.exposeID('mandateId', { nullable: true, description: 'The mandate it named, if any.' }),
    stationId: t.exposeID('stationId', { nullable: true, description: 'The station, if any.' }),
    data: t.string({ description: 'What the event said of the item, as JSON text (never voters’ personal data).', resolve: (version) => json(version.data) }),
    details: t.string({
      description: 'What the event said of the item, in Chinese words: the known fields with their labels, no ids (never voters’ personal data).',
      resolve: (version) => itemDetails(version.data),
    }),
    position: t.exposeInt('position', { description: 'Its log position.' }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime', description: 'When it was recorded (ISO 8601).' }),
  }),
});

const HandoverActionType = builder.objectRef<HandoverAction>('HandoverAction').implement({
  description: 'What someone did about an open item after the close: acknowledged taking it on (接收确认), or named a new inheritor (重新指定).',
  fields: (t) => ({
    action: t.exposeString('action', { description: 'acknowledged or reassigned.' }),
    person: t.field({ type: HandoverPersonType, description: 'Who acknowledged, or the new inheritor.', resolve: (action) => action.person }),
    on: t.expose('on', { type: 'Date', description: 'The day (YYYY-MM-DD).' }),
    note: t.exposeString('note', { nullable: true, description: 'The acknowledgement’s note or the reassignment’s reason.' }),
    position: t.exposeInt('position', { description: 'The log position of the event.' }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime', description: 'When it was recorded.' }),
  }),
});

/** An open item's local id: `termId:kind:itemId` (its key, `kind:itemId`, is unique within its term's dossier only). */
const openItemId = (item: OpenItem) => `${item.termId}:${item.key}`;

/** The term and the key of an open item's local id; null when it is not one. */
function parseOpenItemId(localId: string): { termId: string; key: string } | null {
  const [termId = '', kind = '', itemId = '', ...rest] = localId.split(':');
  const known = (OPEN_ITEM_KINDS as readonly string[]).includes(kind);
  return known && rest.length === 0 && isUuid(termId) && isUuid(itemId) ? { termId, key: `${kind}:${itemId}` } : null;
}

const OpenItemType = builder.objectRef<OpenItem>('OpenItem').implement({
  description: 'An item open at a term change: who was responsible, its history, and who inherits it — or a flag.',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id(
      nodeType<OpenItem>(
        'OpenItem',
        openItemId,
        // Read as the dossier reads it, as seen now.
        async ({ db }, localId) => {
          const { termId, key } = parseOpenItemId(localId)!;
          const query = { termId, asOf: { view: 'now' as const } };
          const items = await cachedWhileUnchanged(db, 'openItemsAtClose', query, () => openItemsAtClose(db, query));
          return items?.find((item) => item.key === key);
        },
        { isLocalId: (localId) => parseOpenItemId(localId) !== null },
      ),
    ),
    openItemId: t.id({ description: '`termId:kind:itemId`: the term, then its key.', resolve: openItemId }),
    termId: t.exposeID('termId', { description: 'The term at whose close it was open.' }),
    key: t.exposeID('key', { description: '`<kind>:<itemId>`, unique in a dossier: commands about handover items take it.' }),
    kind: t.field({ type: OpenItemKind, description: 'What kind of item.', resolve: (item) => item.kind }),
    itemId: t.exposeID('id', { description: 'The opinion, suggestion, pairing or station.' }),
    statusAtClose: t.exposeString('statusAtClose', { description: 'Its status at the close.' }),
    status: t.exposeString('status', { description: 'The newest status in the view (it may have been handled since).' }),
    predecessor: t.field({ type: HandoverPersonType, nullable: true, description: 'Who was responsible at the close.', resolve: (item) => item.predecessor }),
    stationId: t.exposeID('stationId', { nullable: true, description: 'The station it belongs to, if any.' }),
    atClose: t.string({
      description: 'Its state at the close (category, title, agency, deadline, mentees …) as JSON text.',
      resolve: (item) => json(item.atClose),
    }),
    history: t.field({ type: [ItemVersion], description: 'Every version seen in the view, oldest first.', resolve: (item) => item.history }),
    inheritor: t.field({ type: Inheritor, nullable: true, description: 'Who inherits it (null when flagged).', resolve: (item) => item.inheritor }),
    flagged: t.exposeBoolean('flagged', { description: 'Nobody inherits it: it needs a decision.' }),
    reason: t.field({ type: HandoverFlag, nullable: true, description: 'Why it is flagged.', resolve: (item) => item.reason }),
    reasonZh: t.string({ nullable: true, description: '标记原因', resolve: (item) => (item.reason ? HANDOVER_FLAG_LABELS[item.reason].zh : null) }),
    relatedKeys: t.exposeStringList('relatedKeys', { description: 'Station duties: the keys of the station’s open opinions.' }),
    acknowledgement: t.field({
      type: HandoverActionType,
      nullable: true,
      description: 'The current inheritor’s acknowledgement, if given in the view (AcknowledgeHandoverItem).',
      resolve: (item) => item.acknowledgement,
    }),
    actions: t.field({
      type: [HandoverActionType],
      description: 'Acknowledgements and reassignments after the close, oldest first.',
      resolve: (item) => item.actions,
    }),
  }),
});

const HandoverSeatType = builder.objectRef<HandoverSeat>('HandoverSeat').implement({
  description: 'A seat or post (mandate) as a handover shows it.',
  fields: (t) => ({
    mandateId: t.exposeID('mandateId', { description: 'The mandate.' }),
    person: t.field({ type: HandoverPersonType, description: 'Who held it.', resolve: (seat) => seat.person }),
    termNumber: t.exposeInt('termNumber', { description: 'Its term’s ordinal.' }),
    kind: t.field({ type: MandateKind, description: 'The kind of seat or post.', resolve: (seat) => seat.kind }),
    team: t.field({ type: Team, description: 'Its team.', resolve: (seat) => seat.team }),
    level: t.field({ type: Level, nullable: true, description: 'Deputies: the level of congress.', resolve: (seat) => seat.level }),
    district: t.exposeString('district', { nullable: true, description: 'Deputies: the electoral district.' }),
    township: t.exposeString('township', { nullable: true, description: 'The township of the seat, if any.' }),
    portfolio: t.exposeString('portfolio', { nullable: true, description: 'The committee portfolio, if any.' }),
    startsOn: t.expose('startsOn', { type: 'Date', description: 'First day held.' }),
    validTo: t.expose('validTo', { type: 'Date', nullable: true, description: 'Last day held as seen in the view (null: still running).' }),
    endReason: t.exposeString('endReason', {
      nullable: true,
      description: 'Why it ended: term-close (届满, also a mandate that ran to its term’s close), resignation, recall, death or transfer; null while running.',
    }),
    endReasonZh: t.string({
      nullable: true,
      description: 'Why it ended, in Chinese (届满, 辞职, 罢免, 死亡, 调离).',
      resolve: (seat) => (seat.endReason ? (END_REASON_LABELS[seat.endReason as EndReason]?.zh ?? null) : null),
    }),
  }),
});

const ReturnedAs = builder.objectRef<NonNullable<SeatHandover['returnedAs']>>('ReturnedAs').implement({
  description: 'The same person’s next mandate after the close.',
  fields: (t) => ({
    mandateId: t.exposeID('mandateId', { description: 'The new mandate.' }),
    kind: t.field({ type: MandateKind, description: 'Its kind.', resolve: (next) => next.kind }),
    termNumber: t.exposeInt('termNumber', { description: 'Its term.' }),
  }),
});

const SeatHandoverType = builder.objectRef<SeatHandover>('SeatHandover').implement({
  description: 'A seat of the closing term: its record over the term, whether its holder returned, and its open items.',
  fields: (t) => ({
    seat: t.field({ type: HandoverSeatType, description: 'The seat.', resolve: (seat) => seat }),
    record: t.field({ type: [ActCount], description: 'Approved records by act over the mandate.', resolve: (seat) => seat.record }),
    returnedAs: t.field({ type: ReturnedAs, nullable: true, description: 'The holder’s next mandate, if they returned.', resolve: (seat) => seat.returnedAs }),
    successor: t.field({
      type: HandoverPersonType,
      nullable: true,
      description: 'Who holds the seat after it: the holder returned, else the holder of a later mandate of the same kind, level and place.',
      resolve: (seat) => seat.successor,
    }),
    flagged: t.exposeBoolean('flagged', { description: 'The seat ended and nobody holds it after: an open question for the new term.' }),
    openItemKeys: t.exposeStringList('openItemKeys', { description: 'Keys of the open items the holder was responsible for.' }),
  }),
});

const NextManager = builder.objectRef<NonNullable<StationHandover['nextManager']>>('NextManager').implement({
  description: 'The first manager a station got after the close.',
  fields: (t) => ({
    personId: t.exposeID('personId', { description: 'The manager.' }),
    name: t.exposeString('name', { nullable: true, description: 'Their name.' }),
    mandateId: t.exposeID('mandateId', { nullable: true, description: 'The post they manage it in.' }),
    since: t.expose('since', { type: 'Date', description: 'Their first day in charge.' }),
  }),
});

const StationHandoverType = builder.objectRef<StationHandover>('StationHandover').implement({
  description: 'A station (家站) at the term change: its manager then and after, its record over the term, its open items.',
  fields: (t) => ({
    stationId: t.exposeID('stationId', { description: 'The station.' }),
    name: t.exposeString('name', { description: 'Its name.' }),
    township: t.exposeString('township', { nullable: true, description: 'Its township.' }),
    statusAtClose: t.exposeString('statusAtClose', { description: 'open or closed at the close.' }),
    managerAtClose: t.field({
      type: HandoverPersonType,
      nullable: true,
      description: 'The manager at the close.',
      resolve: (station) => station.managerAtClose,
    }),
    nextManager: t.field({
      type: NextManager,
      nullable: true,
      description: 'The first manager assigned after the close.',
      resolve: (station) => station.nextManager,
    }),
    managerChanged: t.exposeBoolean('managerChanged', { description: 'The manager at the close has gone.' }),
    record: t.field({ type: [ActCount], description: 'Approved records at the station dated within the term.', resolve: (station) => station.record }),
    openItemKeys: t.exposeStringList('openItemKeys', { description: 'Keys of its open items.' }),
  }),
});

const PortfolioHandoverType = builder.objectRef<PortfolioHandover>('PortfolioHandover').implement({
  description: 'A committee portfolio (分管工作) at the term change.',
  fields: (t) => ({
    portfolio: t.exposeString('portfolio', { description: 'The portfolio.' }),
    holders: t.field({ type: [HandoverPersonType], description: 'Who held it in the closing term.', resolve: (portfolio) => portfolio.holders }),
    record: t.field({ type: [ActCount], description: 'The holders’ approved records by act.', resolve: (portfolio) => portfolio.record }),
    successors: t.field({
      type: [HandoverPersonType],
      description: 'Holders of the same portfolio after the close.',
      resolve: (portfolio) => portfolio.successors,
    }),
    flagged: t.exposeBoolean('flagged', { description: 'Nobody holds it after the close.' }),
    openItemKeys: t.exposeStringList('openItemKeys', { description: 'Keys of the holders’ open items.' }),
  }),
});

const PairingHandoverType = builder.objectRef<PairingHandover>('PairingHandover').implement({
  description: 'A pairing (结队帮带) of the closing term.',
  fields: (t) => ({
    pairingId: t.exposeID('pairingId', { description: 'The pairing.' }),
    kind: t.field({ type: PairingKind, description: 'Who is paired with whom.', resolve: (pairing) => pairing.kind as PairingKindValue }),
    mentor: t.field({ type: HandoverPersonType, description: 'The mentor at the close.', resolve: (pairing) => pairing.mentor }),
    mentees: t.field({ type: [HandoverPersonType], description: 'The mentees.', resolve: (pairing) => pairing.mentees }),
    startsOn: t.expose('startsOn', { type: 'Date', description: 'Its first day.' }),
    statusAtClose: t.exposeString('statusAtClose', { description: 'Its status at the close.' }),
    status: t.exposeString('status', { description: 'The newest status in the view.' }),
    record: t.field({ type: [ActCount], description: 'Approved pairing-activity records.', resolve: (pairing) => pairing.record }),
    openItemKey: t.exposeString('openItemKey', { nullable: true, description: 'Its open item’s key, if it was open.' }),
  }),
});

const HandoverDossierType = builder.objectRef<HandoverDossier>('HandoverDossier').implement({
  description: 'The handover dossier (换届交接档案) of a closed term: nothing open is dropped — each item has an inheritor or a flag.',
  fields: (t) => ({
    term: t.field({ type: HandoverTermType, description: 'The closing term.', resolve: (dossier) => dossier.term }),
    nextTerm: t.field({ type: HandoverTermType, nullable: true, description: 'The next term, if opened in the view.', resolve: (dossier) => dossier.nextTerm }),
    seats: t.connection(
      { type: SeatHandoverType, description: 'Every seat of the closing term.', resolve: (dossier, args) => pageOf(args, dossier.seats) },
      ...pageTypes('SeatHandover', 'Seats of a closing term.', 'A seat.'),
    ),
    stations: t.connection(
      { type: StationHandoverType, description: 'Every station set up by the close.', resolve: (dossier, args) => pageOf(args, dossier.stations) },
      ...pageTypes('StationHandover', 'Stations at a term change.', 'A station.'),
    ),
    portfolios: t.field({
      type: [PortfolioHandoverType],
      description: 'Committee portfolios of the closing term (a few dozen at most).',
      resolve: (dossier) => dossier.portfolios,
    }),
    pairings: t.connection(
      { type: PairingHandoverType, description: 'Pairings of the closing term.', resolve: (dossier, args) => pageOf(args, dossier.pairings) },
      ...pageTypes('PairingHandover', 'Pairings of a closing term.', 'A pairing.'),
    ),
    openItems: t.connection(
      {
        type: OpenItemType,
        description: 'The items open at the close, optionally of one kind, or only the flagged ones.',
        args: {
          kind: t.arg({ type: OpenItemKind, description: 'Only items of this kind.' }),
          flagged: t.arg.boolean({ description: 'Only flagged (true) or only inherited (false) items.' }),
        },
        resolve: (dossier, args) =>
          pageOf(
            args,
            dossier.openItems.filter(
              (item) => (!args.kind || item.kind === args.kind) && (args.flagged === null || args.flagged === undefined || item.flagged === args.flagged),
            ),
          ),
      },
      ...pageTypes('OpenItem', 'Items open at a term change.', 'An open item.'),
    ),
  }),
});

const InheritedItemType = builder.objectRef<InheritedItem>('InheritedItem').implement({
  description: 'An open item a person inherited at a term change ("what I inherited").',
  fields: (t) => ({
    term: t.field({ type: HandoverTermType, description: 'The term at whose close it was handed on.', resolve: (item) => item.term }),
    item: t.field({ type: OpenItemType, description: 'The item.', resolve: (item) => item }),
  }),
});

export const PredecessorEntry = builder.objectRef<PredecessorRecordEntry>('PredecessorRecordEntry').implement({
  description: 'One approved record of an act in a mandate.',
  fields: (t) => ({
    recordId: t.exposeID('recordId', { description: 'The record.' }),
    streamId: t.string({ nullable: true, description: STREAM_ID, resolve: (entry, _, context) => streamOfRecord(context, entry.recordId) }),
    act: t.field({ type: ActKind, description: 'The kind of act.', resolve: (entry) => entry.act }),
    date: t.expose('date', { type: 'Date', description: 'The day it happened.' }),
    eventType: t.exposeString('eventType', { description: 'The event that recorded it.' }),
    stationId: t.exposeID('stationId', { nullable: true, description: 'The station, if any.' }),
    activityId: t.exposeID('activityId', { nullable: true, description: 'The organised activity (training, inspection …), if any.' }),
    declared: t.exposeBoolean('declared', { description: 'Declared by the holder (申报) and approved, rather than recorded by staff.' }),
    corrected: t.exposeBoolean('corrected', { description: 'Corrected since first recorded (the original stays in the log).' }),
    summary: t.string({
      nullable: true,
      description: 'What the record says was done (its summary, place or title), if it says.',
      resolve: (entry) => {
        const data = entry.data as Record<string, unknown>;
        const text = data.summary ?? data.place ?? data.title;
        return typeof text === 'string' ? text : null;
      },
    }),
    data: t.string({ description: 'The record as its event stated it, as JSON text.', resolve: (entry) => json(entry.data) }),
  }),
});

const PredecessorRecordType = builder.objectRef<PredecessorRecord>('PredecessorRecord').implement({
  description: 'A mandate’s record (前任履职档案): what its holder did, readable by whoever holds the seat next.',
  fields: (t) => ({
    seat: t.field({ type: HandoverSeatType, description: 'The mandate.', resolve: (record) => record.seat }),
    counts: t.field({ type: [ActCount], description: 'Approved records by act.', resolve: (record) => record.counts }),
    records: t.connection(
      {
        type: PredecessorEntry,
        description: 'The approved records, oldest first unless `order` says newest first, optionally of a range of days.',
        args: datedListArgs,
        resolve: (record, args) =>
          pageOf(
            args,
            datedList(record.records, (entry) => entry.date, args),
          ),
      },
      ...pageTypes('PredecessorRecordEntry', 'Approved records of a mandate.', 'A record.'),
    ),
  }),
});

// ---------------------------------------------------------------------------------------------
// Queries

builder.queryFields((t) => ({
  handoverDossier: t.field({
    type: HandoverDossierType,
    nullable: true,
    description:
      'The handover dossier of a term; null unless the term had closed in the view. Without `termId`, the dossier of the term that closed last in the view (null when none had).',
    args: {
      termId: t.arg.id({ description: 'The closing term (omitted: the one that closed last in the view).' }),
      asOf: t.arg({ type: AsOfInput, description: AS_OF }),
    },
    resolve: async (_, args, { db }) => {
      const asOf = readAsOf(args.asOf);
      const termId =
        args.termId === null || args.termId === undefined
          ? (await termsInView(db, asOf)).find((term) => term.closedOn)?.termId
          : uuidArg(args.termId, 'termId');
      if (!termId) return null;
      const query = { termId, asOf };
      // The web asks for a dossier's parts and pages in several requests: one computation serves them all.
      return cachedWhileUnchanged(db, 'handoverDossier', query, () => handoverDossier(db, query));
    },
  }),
  inherited: t.connection(
    {
      type: InheritedItemType,
      description: '"What I inherited": every item open at a term change seen in the view whose inheritor is this person.',
      args: { personId: t.arg.id({ required: true, description: 'The inheritor.' }), asOf: t.arg({ type: AsOfInput, description: AS_OF }) },
      resolve: async (_, args, { db }) => {
        const asOf = readAsOf(args.asOf);
        const query = { personId: uuidArg(args.personId, 'personId'), asOf };
        return pageOf(args, await cachedWhileUnchanged(db, 'inherited', query, () => inherited(db, query)));
      },
    },
    ...pageTypes('InheritedItem', 'Items a person inherited.', 'An inherited item.'),
  ),
  predecessorRecord: t.field({
    type: PredecessorRecordType,
    nullable: true,
    description: 'A mandate’s approved record, for any mandate of any term; null when the mandate is not seen in the view.',
    args: { mandateId: t.arg.id({ required: true, description: 'The mandate.' }), asOf: t.arg({ type: AsOfInput, description: AS_OF }) },
    resolve: (_, args, { db }) => {
      const asOf = readAsOf(args.asOf);
      return predecessorRecord(db, { mandateId: uuidArg(args.mandateId, 'mandateId'), asOf });
    },
  }),
}));
