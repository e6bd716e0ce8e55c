/**
 * The handover page's logic (换届交接): words for kinds, statuses, inheritance rules and flags;
 * what an open item is about, read from its state at the close; the acknowledgement and
 * reassignment forms; and the dossier as sheets for the Excel export.
 */
import type { SheetSpec } from '$lib/export';
import { command } from '$lib/forms/command';
import { message, textOf, personOf, type FormSpec } from '$lib/forms/engine';
import { graphql } from '$lib/gql';
import { type Locale, translate, type Words } from '$lib/i18n';
import { named } from '$lib/messages';

const AcknowledgeHandoverItemCommand = graphql(`
  mutation AcknowledgeHandoverItemCommand($input: AcknowledgeHandoverItemInput!) {
    result: acknowledgeHandoverItem(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const ReassignHandoverItemCommand = graphql(`
  mutation ReassignHandoverItemCommand($input: ReassignHandoverItemInput!) {
    result: reassignHandoverItem(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

export const KIND: Record<string, Words> = {
  OPINION: { zh: '选民意见', en: 'Voter’s opinion' },
  SUGGESTION: { zh: '建议议案', en: 'Suggestion' },
  PAIRING: { zh: '结队帮带', en: 'Pairing' },
  STATION_DUTIES: { zh: '家站职责', en: 'Station duties' },
};

export const STATUS: Record<string, Words> = {
  registered: { zh: '已登记', en: 'registered' },
  referred: { zh: '已交办', en: 'referred' },
  answered: { zh: '已答复', en: 'answered' },
  closed: { zh: '已办结', en: 'closed' },
  reopened: { zh: '重新办理', en: 'reopened' },
  drafted: { zh: '已起草', en: 'drafted' },
  submitted: { zh: '已提出', en: 'submitted' },
  assigned: { zh: '已交办', en: 'assigned' },
  rated: { zh: '已评价', en: 'rated' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
  active: { zh: '进行中', en: 'active' },
  ended: { zh: '已结束', en: 'ended' },
  open: { zh: '运行中', en: 'open' },
};

export const RULE: Record<string, Words> = {
  RE_ELECTED_SAME_STATION: { zh: '连任并仍在同一家站的接待代表', en: 'Re-elected, still at the same station' },
  STATION_MANAGER: { zh: '家站新负责人（按职务承接）', en: 'The station’s new manager (by post)' },
  RE_ELECTED: { zh: '连任的领衔代表或帮带人', en: 'Re-elected lead deputy or mentor' },
  HANDED_OVER: { zh: '帮带关系已交接给新的帮带人', en: 'Pairing handed over to a new mentor' },
  REASSIGNED: { zh: '工作人员重新指定的接收人', en: 'Named by staff' },
};

export const FLAG: Record<string, Words> = {
  LEAD_NOT_RETURNED: { zh: '领衔代表未连任', en: 'The lead deputy was not re-elected' },
  MENTOR_NOT_RETURNED: { zh: '帮带人未连任且未交接', en: 'The mentor left and the pairing was not handed over' },
  NO_STATION_MANAGER: { zh: '家站换届后尚未指定负责人', en: 'The station has no manager since the change' },
  STATION_CLOSED: { zh: '家站已撤销，无人承接', en: 'The station closed; nobody takes it on' },
};

export const PAIRING_KIND: Record<string, Words> = {
  COMMITTEE_LIAISON: { zh: '常委会组成人员联系代表', en: 'Committee member’s liaison with deputies' },
  'committee-liaison': { zh: '常委会组成人员联系代表', en: 'Committee member’s liaison with deputies' },
  DEPUTY_MENTORING: { zh: '公职代表帮带非公职代表', en: 'Public-servant deputy mentoring' },
  'deputy-mentoring': { zh: '公职代表帮带非公职代表', en: 'Public-servant deputy mentoring' },
};

export const ACTION: Record<string, Words> = {
  acknowledged: { zh: '确认接收', en: 'acknowledged' },
  reassigned: { zh: '重新指定', en: 'reassigned' },
};

const unknown = (value: string): Words => ({ zh: value, en: value });
export const statusLabel = (status: string): Words => named(STATUS, status);
export const kindLabel = (kind: string): Words => named(KIND, kind);
export const ruleLabel = (rule: string): Words => named(RULE, rule);
export const flagLabel = (flag: string | null | undefined, reasonZh?: string | null): Words =>
  (flag && FLAG[flag]) || { zh: reasonZh ?? '需要决定接收人', en: 'Needs an inheritor' };

export function parseJson(text: string | null | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text ?? 'null');
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const field = (data: Record<string, unknown>, key: string) => (typeof data[key] === 'string' ? (data[key] as string) : null);

/** What an open item is about, in a line, from its state at the close (`atClose`, JSON text). */
export function itemSubject(kind: string, atClose: string): Words {
  const data = parseJson(atClose);
  const join = (parts: (string | null)[], separator = ' · ') => parts.filter(Boolean).join(separator);
  switch (kind) {
    case 'OPINION': {
      const deadline = field(data, 'deadline');
      return {
        zh: join([
          field(data, 'category'),
          field(data, 'agency') && `交办${field(data, 'agency')}`,
          field(data, 'registeredOn') && `${field(data, 'registeredOn')} 登记`,
          deadline && `期限 ${deadline}`,
        ]),
        en: join([
          field(data, 'category'),
          field(data, 'agency') && `referred to ${field(data, 'agency')}`,
          field(data, 'registeredOn') && `registered ${field(data, 'registeredOn')}`,
          deadline && `due ${deadline}`,
        ]),
      };
    }
    case 'SUGGESTION': {
      const motion = field(data, 'kind') === 'motion';
      const deadline = field(data, 'deadline');
      return {
        zh: join([
          `${motion ? '议案' : '建议'}「${field(data, 'title') ?? ''}」`,
          field(data, 'agency') && `交办${field(data, 'agency')}`,
          deadline && `期限 ${deadline}`,
        ]),
        en: join([
          `${motion ? 'Motion' : 'Suggestion'} “${field(data, 'title') ?? ''}”`,
          field(data, 'agency') && `assigned to ${field(data, 'agency')}`,
          deadline && `due ${deadline}`,
        ]),
      };
    }
    case 'PAIRING': {
      const kindName = named(PAIRING_KIND, field(data, 'kind') ?? '');
      const mentees = Array.isArray(data.mentees) ? data.mentees.length : 0;
      return {
        zh: join([kindName.zh, `帮带 ${mentees} 人`, field(data, 'startsOn') && `${field(data, 'startsOn')} 起`]),
        en: join([kindName.en, `${mentees} mentee(s)`, field(data, 'startsOn') && `since ${field(data, 'startsOn')}`]),
      };
    }
    case 'STATION_DUTIES':
      return { zh: join([field(data, 'name'), '负责人更换']), en: join([field(data, 'name'), 'manager changed']) };
    default:
      return unknown(atClose);
  }
}

/** A history version's data as "key: value" pairs (no voter's personal data is served). */
export function versionDetails(data: string): string {
  const parsed = parseJson(data);
  return Object.entries(parsed)
    .filter(([, value]) => value !== null && value !== '' && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join('; ');
}

/** Approved records by act, as one line: 视察 4 · 调研 3. */
export function recordLine(
  language: Locale,
  counts: readonly { act: string; count: number; labelZh?: string | null }[],
  actLabel: (act: string) => string,
): string {
  if (counts.length === 0) return language === 'en' ? 'none' : '无';
  return counts.map((count) => `${language === 'zh-CN' ? (count.labelZh ?? actLabel(count.act)) : actLabel(count.act)} ${count.count}`).join(' · ');
}

// ---------------------------------------------------------------------------------------------
// Forms

/** 交接确认: the inheritor (or staff for them) acknowledges taking an item on. */
export const acknowledgeForm: FormSpec = {
  id: 'acknowledge',
  title: { zh: '确认接收', en: 'Acknowledge' },
  description: { zh: '确认你已接手这项换届时未办结的工作。', en: 'Confirm that you have taken this open item on.' },
  roles: ['deputy', 'station-manager', 'committee-member', 'staff', 'admin'],
  fields: [
    { kind: 'date', name: 'acknowledgedOn', label: { zh: '接收日期', en: 'Acknowledged on' }, required: true, notFuture: true, defaultToday: true },
    { kind: 'textarea', name: 'note', label: { zh: '备注（可选）', en: 'Note (optional)' }, maxLength: 1000 },
    { kind: 'text', name: 'itemKey', label: { zh: '事项', en: 'Item' }, required: true, maxLength: 200 },
    { kind: 'text', name: 'termId', label: { zh: '届次', en: 'Term' }, required: true, maxLength: 100 },
    { kind: 'text', name: 'personId', label: { zh: '接收人', en: 'Inheritor' }, required: true, maxLength: 100 },
  ],
  plan: (values) => [
    command(AcknowledgeHandoverItemCommand, {
      termId: textOf(values, 'termId'),
      itemKey: textOf(values, 'itemKey'),
      personId: textOf(values, 'personId'),
      acknowledgedOn: textOf(values, 'acknowledgedOn'),
      note: textOf(values, 'note'),
    }),
  ],
  confirm: (values) => message({ zh: '已于 {date} 确认接收', en: 'Acknowledged on {date}' }, { date: textOf(values, 'acknowledgedOn') ?? '' }),
};

/** 重新指定接收人 (staff). */
export const reassignForm: FormSpec = {
  id: 'reassign',
  title: { zh: '重新指定接收人', en: 'Name another inheritor' },
  description: { zh: '为未办结事项另行指定接收人，理由将记入档案。', en: 'Name a different inheritor for the open item; the reason stands in the record.' },
  roles: ['staff', 'admin'],
  fields: [
    { kind: 'person', name: 'toPerson', label: { zh: '新的接收人', en: 'New inheritor' }, required: true, api: ['toPersonId'] },
    { kind: 'textarea', name: 'reason', label: { zh: '理由', en: 'Reason' }, required: true, maxLength: 1000 },
    { kind: 'date', name: 'reassignedOn', label: { zh: '指定日期', en: 'Reassigned on' }, required: true, notFuture: true, defaultToday: true },
    { kind: 'text', name: 'itemKey', label: { zh: '事项', en: 'Item' }, required: true, maxLength: 200 },
    { kind: 'text', name: 'termId', label: { zh: '届次', en: 'Term' }, required: true, maxLength: 100 },
  ],
  plan: (values) => [
    command(ReassignHandoverItemCommand, {
      termId: textOf(values, 'termId'),
      itemKey: textOf(values, 'itemKey'),
      toPersonId: personOf(values, 'toPerson')?.personId,
      reason: textOf(values, 'reason'),
      reassignedOn: textOf(values, 'reassignedOn'),
    }),
  ],
  confirm: (values) => message({ zh: '已重新指定 {name} 为接收人', en: '{name} named as the inheritor' }, { name: personOf(values, 'toPerson')?.name ?? '' }),
};

// ---------------------------------------------------------------------------------------------
// Export

export interface DossierForExport {
  term: { number: number; startsOn: string; closedOn?: string | null };
  nextTerm?: { number: number; startsOn: string } | null;
  openItems: readonly {
    key: string;
    kind: string;
    flagged: boolean;
    reason?: string | null;
    reasonZh?: string | null;
    status: string;
    statusAtClose: string;
    atClose: string;
    predecessor?: { name?: string | null } | null;
    inheritor?: { name?: string | null; rule: string } | null;
    acknowledgement?: { on: string; note?: string | null; person: { name?: string | null } } | null;
    history: readonly { version: number; on: string; eventType: string; status: string }[];
  }[];
  seats: readonly {
    seat: {
      kind: string;
      level?: string | null;
      township?: string | null;
      district?: string | null;
      portfolio?: string | null;
      startsOn: string;
      validTo?: string | null;
      endReason?: string | null;
      person: { name?: string | null };
    };
    record: readonly { act: string; count: number; labelZh?: string | null }[];
    openItemKeys: readonly string[];
    returnedAs?: { termNumber: number; kind: string } | null;
  }[];
  stations: readonly {
    name: string;
    township?: string | null;
    statusAtClose: string;
    managerAtClose?: { name?: string | null } | null;
    nextManager?: { name?: string | null; since: string } | null;
    record: readonly { act: string; count: number; labelZh?: string | null }[];
    openItemKeys: readonly string[];
  }[];
  portfolios: readonly {
    portfolio: string;
    flagged: boolean;
    holders: readonly { name?: string | null }[];
    successors: readonly { name?: string | null }[];
    record: readonly { act: string; count: number; labelZh?: string | null }[];
    openItemKeys: readonly string[];
  }[];
  pairings: readonly {
    kind: string;
    mentor: { name?: string | null };
    mentees: readonly { name?: string | null }[];
    startsOn: string;
    status: string;
    statusAtClose: string;
    record: readonly { act: string; count: number; labelZh?: string | null }[];
    openItemKey?: string | null;
  }[];
}

export interface ExportWords {
  language: Locale;
  /** A term's name, e.g. 第十七届. */
  termName: (number: number) => string;
  act: (act: string) => string;
  seatKind: (kind: string) => string;
  level: (level: string) => string;
}

/** The dossier as sheets: open items, seats, stations, portfolios, pairings. */
export function dossierSheets(dossier: DossierForExport, words: ExportWords): SheetSpec[] {
  const l = (message: Words) => translate(words.language, message);
  const names = (list: readonly { name?: string | null }[]) => list.map((person) => person.name ?? '').join(words.language === 'en' ? ', ' : '、');
  const record = (counts: DossierForExport['seats'][number]['record']) => recordLine(words.language, counts, words.act);
  const term = words.termName(dossier.term.number);
  const notes = [
    l({ zh: `${term}：${dossier.term.startsOn} 至 ${dossier.term.closedOn ?? ''}`, en: `${term}: ${dossier.term.startsOn} to ${dossier.term.closedOn ?? ''}` }),
    ...(dossier.nextTerm
      ? [
          l({
            zh: `下一届 ${words.termName(dossier.nextTerm.number)} 自 ${dossier.nextTerm.startsOn} 起`,
            en: `Next: ${words.termName(dossier.nextTerm.number)} from ${dossier.nextTerm.startsOn}`,
          }),
        ]
      : []),
  ];
  const title = (what: Words) => `${term} ${l(what)}`;
  return [
    {
      name: l({ zh: '未办结事项', en: 'Open items' }),
      title: title({ zh: '换届交接：未办结事项', en: 'handover: open items' }),
      notes,
      columns: [
        { key: 'kind', header: l({ zh: '类别', en: 'Kind' }) },
        { key: 'subject', header: l({ zh: '事项', en: 'Item' }) },
        { key: 'predecessor', header: l({ zh: '原负责人', en: 'Predecessor' }) },
        { key: 'atClose', header: l({ zh: '换届时状态', en: 'Status at the close' }) },
        { key: 'now', header: l({ zh: '当前状态', en: 'Status now' }) },
        { key: 'inheritor', header: l({ zh: '接收人', en: 'Inheritor' }) },
        { key: 'rule', header: l({ zh: '依据 / 标记原因', en: 'Rule / flag' }) },
        { key: 'acknowledged', header: l({ zh: '确认接收', en: 'Acknowledged' }) },
        { key: 'versions', header: l({ zh: '变更次数', en: 'Versions' }), kind: 'number' },
        { key: 'key', header: l({ zh: '编号', en: 'Key' }) },
      ],
      rows: dossier.openItems.map((item) => ({
        kind: l(kindLabel(item.kind)),
        subject: l(itemSubject(item.kind, item.atClose)),
        predecessor: item.predecessor?.name ?? '',
        atClose: l(statusLabel(item.statusAtClose)),
        now: l(statusLabel(item.status)),
        inheritor: item.flagged ? '' : (item.inheritor?.name ?? ''),
        rule: item.flagged ? `⚑ ${l(flagLabel(item.reason, item.reasonZh))}` : item.inheritor ? l(ruleLabel(item.inheritor.rule)) : '',
        acknowledged: item.acknowledgement
          ? `${item.acknowledgement.on} ${item.acknowledgement.person.name ?? ''}${item.acknowledgement.note ? `：${item.acknowledgement.note}` : ''}`
          : '',
        versions: item.history.length,
        key: item.key,
      })),
    },
    {
      name: l({ zh: '任职', en: 'Seats' }),
      title: title({ zh: '换届交接：任职与履职记录', en: 'handover: seats and records' }),
      notes,
      columns: [
        { key: 'person', header: l({ zh: '人员', en: 'Person' }) },
        { key: 'seat', header: l({ zh: '任职', en: 'Seat' }) },
        { key: 'township', header: l({ zh: '乡镇 / 选区 / 分管', en: 'Township / district / portfolio' }) },
        { key: 'dates', header: l({ zh: '任职时间', en: 'Held' }) },
        { key: 'record', header: l({ zh: '已审核履职记录', en: 'Approved records' }) },
        { key: 'open', header: l({ zh: '未办结事项', en: 'Open items' }), kind: 'number' },
        { key: 'returned', header: l({ zh: '连任', en: 'Returned as' }) },
      ],
      rows: dossier.seats.map((entry) => ({
        person: entry.seat.person.name ?? '',
        seat: [words.seatKind(entry.seat.kind), entry.seat.level ? words.level(entry.seat.level) : null].filter(Boolean).join(' · '),
        township: [entry.seat.township, entry.seat.district, entry.seat.portfolio].filter(Boolean).join(' · '),
        dates: `${entry.seat.startsOn} — ${entry.seat.validTo ?? ''}${entry.seat.endReason ? ` (${entry.seat.endReason})` : ''}`,
        record: record(entry.record),
        open: entry.openItemKeys.length,
        returned: entry.returnedAs ? `${words.termName(entry.returnedAs.termNumber)} ${words.seatKind(entry.returnedAs.kind)}` : '',
      })),
    },
    {
      name: l({ zh: '家站', en: 'Stations' }),
      title: title({ zh: '换届交接：家站', en: 'handover: stations' }),
      notes,
      columns: [
        { key: 'name', header: l({ zh: '家站', en: 'Station' }) },
        { key: 'township', header: l({ zh: '乡镇（街道）', en: 'Township' }) },
        { key: 'status', header: l({ zh: '换届时', en: 'At the close' }) },
        { key: 'manager', header: l({ zh: '原负责人', en: 'Manager at the close' }) },
        { key: 'next', header: l({ zh: '新负责人', en: 'Next manager' }) },
        { key: 'record', header: l({ zh: '已审核履职记录', en: 'Approved records' }) },
        { key: 'open', header: l({ zh: '未办结事项', en: 'Open items' }), kind: 'number' },
      ],
      rows: dossier.stations.map((station) => ({
        name: station.name,
        township: station.township ?? '',
        status: l(statusLabel(station.statusAtClose)),
        manager: station.managerAtClose?.name ?? '',
        next: station.nextManager
          ? l({
              zh: `${station.nextManager.name ?? ''}（${station.nextManager.since} 起）`,
              en: `${station.nextManager.name ?? ''} (from ${station.nextManager.since})`,
            })
          : '',
        record: record(station.record),
        open: station.openItemKeys.length,
      })),
    },
    {
      name: l({ zh: '分管工作', en: 'Portfolios' }),
      title: title({ zh: '换届交接：常委会分管工作', en: 'handover: committee portfolios' }),
      notes,
      columns: [
        { key: 'portfolio', header: l({ zh: '分管工作', en: 'Portfolio' }) },
        { key: 'holders', header: l({ zh: '原分管', en: 'Held by' }) },
        { key: 'successors', header: l({ zh: '现分管', en: 'Held after' }) },
        { key: 'record', header: l({ zh: '已审核履职记录', en: 'Approved records' }) },
        { key: 'open', header: l({ zh: '未办结事项', en: 'Open items' }), kind: 'number' },
      ],
      rows: dossier.portfolios.map((portfolio) => ({
        portfolio: portfolio.portfolio,
        holders: names(portfolio.holders),
        successors: portfolio.flagged ? `⚑ ${l({ zh: '无人分管', en: 'nobody' })}` : names(portfolio.successors),
        record: record(portfolio.record),
        open: portfolio.openItemKeys.length,
      })),
    },
    {
      name: l({ zh: '结队帮带', en: 'Pairings' }),
      title: title({ zh: '换届交接：结队帮带', en: 'handover: pairings' }),
      notes,
      columns: [
        { key: 'kind', header: l({ zh: '类别', en: 'Kind' }) },
        { key: 'mentor', header: l({ zh: '帮带人', en: 'Mentor' }) },
        { key: 'mentees', header: l({ zh: '被帮带代表', en: 'Mentees' }) },
        { key: 'startsOn', header: l({ zh: '开始', en: 'Since' }) },
        { key: 'atClose', header: l({ zh: '换届时状态', en: 'At the close' }) },
        { key: 'now', header: l({ zh: '当前状态', en: 'Now' }) },
        { key: 'record', header: l({ zh: '帮带活动', en: 'Activities' }) },
      ],
      rows: dossier.pairings.map((pairing) => ({
        kind: l(named(PAIRING_KIND, pairing.kind)),
        mentor: pairing.mentor.name ?? '',
        mentees: names(pairing.mentees),
        startsOn: pairing.startsOn,
        atClose: l(statusLabel(pairing.statusAtClose)),
        now: l(statusLabel(pairing.status)),
        record: record(pairing.record),
      })),
    },
  ];
}
