/**
 * The review queue's logic: which declared records the read models show as pending, and which
 * stream each lives in (ApproveRecord / RejectRecord / CorrectRecord name the stream). Streams
 * are named as the domain names them: station acts on `station:<station>`, home visits and
 * practical help on `deputy-act:<record>`, participations on `activity:<activity>`, duty reports on
 * `duty-report:<name-based id of person and year>`, submissions on `suggestion:<id>`, pairing
 * activities on `pairing:<id>`.
 */
import { dutyReportStream } from '$lib/forms/ids';

export interface BookRecordLike {
  recordId: string;
  date: string;
  act: string;
  personId: string;
  name?: string | null;
  summary?: string | null;
  status: string;
  stationId?: string | null;
}

export interface ReceptionLike {
  receptionId: string;
  heldOn: string;
  topics: readonly string[];
  deputies: readonly { personId: string; name?: string | null; recordId: string; status: string }[];
}

export interface PendingRecord {
  recordId: string;
  act: string;
  personId: string;
  name: string | null;
  date: string;
  summary: string | null;
  stationId: string | null;
  /** The streams it may be in, most likely first (empty: unknown from the books). */
  streams: string[];
}

/** The streams a station book's record may live in. */
export function streamsOfBookRecord(record: Pick<BookRecordLike, 'act' | 'recordId' | 'personId' | 'date' | 'stationId'>): string[] {
  switch (record.act) {
    case 'STATION_VISIT':
    case 'VOTER_RECEPTION':
      return record.stationId ? [`station:${record.stationId}`] : [];
    case 'HOME_VISIT':
    case 'POLICY_PUBLICITY':
    case 'LEGAL_ADVICE':
    case 'DISPUTE_MEDIATION':
      return [`deputy-act:${record.recordId}`];
    case 'DUTY_REPORT': {
      // The report names its year; the books give its date: the report of that year, else of the year before.
      const year = Number(record.date.slice(0, 4));
      return [dutyReportStream(record.personId, year), dutyReportStream(record.personId, year - 1)];
    }
    default:
      return [];
  }
}

/** The pending (declared, not yet reviewed) records in a station's books, each once, newest first. */
export function pendingRecords(books: { records: readonly BookRecordLike[]; receptions: readonly ReceptionLike[]; stationId: string }): PendingRecord[] {
  const found = new Map<string, PendingRecord>();
  for (const record of books.records) {
    if (record.status !== 'PENDING' || found.has(record.recordId)) continue;
    found.set(record.recordId, {
      recordId: record.recordId,
      act: record.act,
      personId: record.personId,
      name: record.name ?? null,
      date: record.date,
      summary: record.summary ?? null,
      stationId: record.stationId ?? null,
      streams: streamsOfBookRecord(record),
    });
  }
  for (const reception of books.receptions) {
    for (const deputy of reception.deputies) {
      if (deputy.status !== 'PENDING' || found.has(deputy.recordId)) continue;
      found.set(deputy.recordId, {
        recordId: deputy.recordId,
        act: 'VOTER_RECEPTION',
        personId: deputy.personId,
        name: deputy.name ?? null,
        date: reception.heldOn,
        summary: reception.topics.join('、') || null,
        stationId: books.stationId,
        streams: [`station:${books.stationId}`],
      });
    }
  }
  return [...found.values()].sort((a, b) => b.date.localeCompare(a.date) || a.recordId.localeCompare(b.recordId));
}

export interface RecordEntryLike {
  recordId: string;
  eventType: string;
  activityId?: string | null;
  stationId?: string | null;
  /** The event's data as JSON text. */
  data: string;
}

/** The stream of a record as the handover read model serves it (with its event's data), or null. */
export function streamOfEntry(entry: RecordEntryLike): string | null {
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(entry.data) as Record<string, unknown>;
  } catch {
    // Data that is not JSON names nothing more.
  }
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : null);
  switch (entry.eventType) {
    case 'StationVisitRecorded':
    case 'ReceptionAttendanceRecorded': {
      const stationId = entry.stationId ?? text('stationId');
      return stationId ? `station:${stationId}` : null;
    }
    case 'HomeVisitRecorded':
    case 'PracticalHelpRecorded':
      return `deputy-act:${entry.recordId}`;
    case 'ParticipationRecorded':
    case 'TrainingAttendanceRecorded':
    case 'AbsenceRecorded': {
      const activityId = entry.activityId ?? text('activityId');
      return activityId ? `activity:${activityId}` : null;
    }
    case 'DutyReportDelivered': {
      const personId = text('personId');
      return personId && typeof data.year === 'number' ? dutyReportStream(personId, data.year) : null;
    }
    case 'SuggestionSubmitted':
      return text('suggestionId') ? `suggestion:${text('suggestionId')}` : null;
    case 'PairingActivityRecorded':
      return text('pairingId') ? `pairing:${text('pairingId')}` : null;
    default:
      return null;
  }
}

/** The record's data pretty-printed, to edit into the correction. */
export function correctionDraft(entry: RecordEntryLike): string {
  try {
    return JSON.stringify(JSON.parse(entry.data), null, 2);
  } catch {
    return entry.data;
  }
}
