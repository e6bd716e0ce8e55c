/**
 * A station's 一册六簿 for export and print: every page of the roster and the six books, read at
 * the view, as sheets (never a voter's personal data: the opinion book exports no voter).
 */
import type { SheetSpec } from '$lib/export';
import { graphql } from '$lib/gql';
import { type Locale, type Params, translate, type Words } from '$lib/i18n';
import { m, named } from '$lib/messages';

export const StationExportQuery = graphql(`
  query StationExport($stationId: ID!, $asOf: AsOfInput) {
    stationBooks(stationId: $stationId, asOf: $asOf) {
      from
      to
      day
      station {
        summary {
          name
          township
          address
          manager {
            name
          }
        }
      }
      roster {
        name
        level
        termNumber
        fromOn
        toOn
        endReason
      }
      duty {
        personId
        name
        counts {
          stationVisits
          homeVisits
          voterReceptions
          dutyReports
        }
      }
    }
  }
`);

export const ExportReceptionsQuery = graphql(`
  query ExportReceptions($stationId: ID!, $asOf: AsOfInput, $after: String) {
    stationBooks(stationId: $stationId, asOf: $asOf) {
      receptions(first: 100, after: $after) {
        edges {
          node {
            receptionId
            heldOn
            lead {
              name
            }
            deputies {
              name
              status
            }
            votersReceived
            opinionCount
            topics
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

export const ExportOpinionsQuery = graphql(`
  query ExportOpinions($stationId: ID!, $asOf: AsOfInput, $after: String) {
    stationBooks(stationId: $stationId, asOf: $asOf) {
      opinions(first: 100, after: $after) {
        edges {
          node {
            opinionId
            registeredOn
            category
            receivedBy {
              name
            }
            agency
            deadline
            status
            satisfaction
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

export const ExportHandlingQuery = graphql(`
  query ExportHandling($stationId: ID!, $asOf: AsOfInput, $after: String) {
    stationBooks(stationId: $stationId, asOf: $asOf) {
      handling(first: 100, after: $after) {
        edges {
          node {
            opinionId
            category
            agency
            status
            deadline
            late
            overdue
            steps {
              stepNo
              on
              status
              agency
              answer
              note
              satisfaction
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

export const ExportRecordFragment = graphql(`
  fragment ExportRecord on BookRecord {
    recordId
    date
    act
    name
    summary
    status
    corrected
  }
`);

export const ExportActivitiesQuery = graphql(`
  query ExportActivities($stationId: ID!, $asOf: AsOfInput, $after: String) {
    stationBooks(stationId: $stationId, asOf: $asOf) {
      activities(first: 100, after: $after) {
        edges {
          node {
            ...ExportRecord
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

export const ExportStudyQuery = graphql(`
  query ExportStudy($stationId: ID!, $asOf: AsOfInput, $after: String) {
    stationBooks(stationId: $stationId, asOf: $asOf) {
      study(first: 100, after: $after) {
        edges {
          node {
            ...ExportRecord
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

export interface StationExportData {
  name: string;
  township?: string | null;
  address?: string | null;
  manager?: string | null;
  from: string;
  to: string;
  roster: readonly {
    name?: string | null;
    level?: string | null;
    termNumber?: number | null;
    fromOn: string;
    toOn?: string | null;
    endReason?: string | null;
  }[];
  receptions: readonly {
    heldOn: string;
    lead: { name?: string | null };
    deputies: readonly { name?: string | null; status: string }[];
    votersReceived: number;
    opinionCount: number;
    topics: readonly string[];
  }[];
  opinions: readonly {
    registeredOn: string;
    category: string;
    receivedBy: { name?: string | null };
    agency?: string | null;
    deadline: string;
    status: string;
    satisfaction?: string | null;
  }[];
  handling: readonly {
    category: string;
    agency?: string | null;
    status: string;
    deadline: string;
    late: boolean;
    overdue: boolean;
    steps: readonly {
      stepNo: number;
      on: string;
      status: string;
      agency?: string | null;
      answer?: string | null;
      note?: string | null;
      satisfaction?: string | null;
    }[];
  }[];
  activities: readonly BookRecordRow[];
  study: readonly BookRecordRow[];
  duty: readonly { name?: string | null; counts: { stationVisits: number; homeVisits: number; voterReceptions: number; dutyReports: number } }[];
}

interface BookRecordRow {
  date: string;
  act: string;
  name?: string | null;
  summary?: string | null;
  status: string;
  corrected: boolean;
}

/** The roster and the six books as seven sheets, headed as the page heads them. */
export function stationSheets(station: StationExportData, language: Locale): SheetSpec[] {
  const t = (message: Words, params?: Params) => translate(language, message, params);
  const notes = [
    [station.township, station.address].filter(Boolean).join(' · '),
    t(m.station.books.span, { from: station.from, to: station.to }),
    ...(station.manager ? [`${t(m.station.manager)}：${station.manager}`] : []),
  ].filter(Boolean);
  const sheet = (book: string, spec: Omit<SheetSpec, 'name' | 'title' | 'notes'>): SheetSpec => ({
    name: book,
    title: `${station.name} · ${book}`,
    notes,
    ...spec,
  });
  const none = t(m.common.none);
  const records = (rows: readonly BookRecordRow[]) =>
    rows.map((row) => ({
      date: row.date,
      act: t(named(m.act, row.act)),
      person: row.name ?? '',
      summary: row.summary ?? '',
      status: t(named(m.record, row.status)) + (row.corrected ? ` · ${t(m.book.corrected)}` : ''),
    }));
  const recordColumns = [
    { key: 'date', header: t(m.book.date) },
    { key: 'act', header: t(m.book.act) },
    { key: 'person', header: t(m.book.person) },
    { key: 'summary', header: t(m.book.summary) },
    { key: 'status', header: t(m.book.status) },
  ];
  const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

  return [
    sheet(t(m.station.roster), {
      columns: [
        { key: 'name', header: t(m.station.roster.name) },
        { key: 'level', header: t(m.station.roster.level) },
        { key: 'term', header: t(m.station.roster.term) },
        { key: 'from', header: t(m.station.roster.from) },
        { key: 'to', header: t(m.station.roster.to) },
        { key: 'reason', header: t(m.station.roster.reason) },
      ],
      rows: station.roster.map((entry) => ({
        name: entry.name ?? '',
        level: entry.level ? t(named(m.level, entry.level)) : '',
        term: entry.termNumber ?? '',
        from: entry.fromOn,
        to: entry.toOn ?? '',
        reason: entry.endReason ?? '',
      })),
    }),
    sheet(t(m.book.receptions), {
      columns: [
        { key: 'date', header: t(m.book.date) },
        { key: 'lead', header: t(m.book.lead) },
        { key: 'deputies', header: t(m.book.deputies) },
        { key: 'voters', header: t(m.book.voters), kind: 'number' },
        { key: 'opinions', header: t(m.book.opinionCount), kind: 'number' },
        { key: 'topics', header: t(m.book.topics) },
      ],
      rows: station.receptions.map((reception) => ({
        date: reception.heldOn,
        lead: reception.lead.name ?? '',
        deputies: reception.deputies.map((deputy) => `${deputy.name ?? ''}${deputy.status === 'PENDING' ? `（${t(m.record.PENDING)}）` : ''}`).join('、'),
        voters: reception.votersReceived,
        opinions: reception.opinionCount,
        topics: reception.topics.join('、'),
      })),
      footer: {
        date: t(m.common.total),
        voters: sum(station.receptions.map((reception) => reception.votersReceived)),
        opinions: sum(station.receptions.map((reception) => reception.opinionCount)),
      },
    }),
    sheet(t(m.book.opinions), {
      columns: [
        { key: 'date', header: t(m.book.registeredOn) },
        { key: 'category', header: t(m.book.category) },
        { key: 'receivedBy', header: t(m.book.receivedBy) },
        { key: 'agency', header: t(m.book.agency) },
        { key: 'deadline', header: t(m.book.deadline) },
        { key: 'status', header: t(m.book.status) },
        { key: 'satisfaction', header: t(m.book.satisfaction) },
      ],
      rows: station.opinions.map((opinion) => ({
        date: opinion.registeredOn,
        category: opinion.category,
        receivedBy: opinion.receivedBy.name ?? '',
        agency: opinion.agency ?? none,
        deadline: opinion.deadline,
        status: t(named(m.opinion, opinion.status)),
        satisfaction: opinion.satisfaction ? t(named(m.satisfaction, opinion.satisfaction)) : '',
      })),
    }),
    sheet(t(m.book.handling), {
      columns: [
        { key: 'category', header: t(m.book.category) },
        { key: 'agency', header: t(m.book.agency) },
        { key: 'deadline', header: t(m.book.deadline) },
        { key: 'status', header: t(m.book.status) },
        { key: 'steps', header: t(m.book.steps) },
      ],
      rows: station.handling.map((entry) => ({
        category: entry.category,
        agency: entry.agency ?? none,
        deadline: entry.deadline + (entry.overdue ? ` · ${t(m.book.overdue)}` : entry.late ? ` · ${t(m.book.late)}` : ''),
        status: t(named(m.opinion, entry.status)),
        steps: entry.steps
          .map(
            (step) =>
              `${step.stepNo}. ${step.on} ${t(named(m.opinion, step.status))}${step.agency && step.status === 'REFERRED' ? ` → ${step.agency}` : ''}${step.answer ? `：${step.answer}` : ''}${step.satisfaction ? `（${t(named(m.satisfaction, step.satisfaction))}）` : ''}${step.note ? `（${step.note}）` : ''}`,
          )
          .join('\n'),
      })),
    }),
    sheet(t(m.book.activities), { columns: recordColumns, rows: records(station.activities) }),
    sheet(t(m.book.study), { columns: recordColumns, rows: records(station.study) }),
    sheet(t(m.book.duty), {
      columns: [
        { key: 'name', header: t(m.station.roster.name) },
        { key: 'stationVisits', header: t(m.book.duty.stationVisits), kind: 'number' },
        { key: 'homeVisits', header: t(m.book.duty.homeVisits), kind: 'number' },
        { key: 'voterReceptions', header: t(m.book.duty.voterReceptions), kind: 'number' },
        { key: 'dutyReports', header: t(m.book.duty.dutyReports), kind: 'number' },
      ],
      rows: station.duty.map((entry) => ({ name: entry.name ?? '', ...entry.counts })),
      footer: {
        name: t(m.common.total),
        stationVisits: sum(station.duty.map((entry) => entry.counts.stationVisits)),
        homeVisits: sum(station.duty.map((entry) => entry.counts.homeVisits)),
        voterReceptions: sum(station.duty.map((entry) => entry.counts.voterReceptions)),
        dutyReports: sum(station.duty.map((entry) => entry.counts.dutyReports)),
      },
    }),
  ];
}
