/**
 * Evidence attached on any stream that holds records, receptions or opinions. The decider folds
 * every event of the stream (it is the one decider that sees the annotations): what can carry
 * evidence there, who it concerns, at which station, and the files each already has.
 */
import { assertNever, type Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { Command, Event } from '../kernel/messages.ts';
import { isRecordCreation } from '../review/records.ts';
import type { EvidenceFileData, EvidenceSubjectKind } from './events.ts';

/** At most this many files on one record, reception or opinion. */
export const MAX_EVIDENCE_PER_SUBJECT = 30;

export interface EvidenceSubject {
  kind: EvidenceSubjectKind;
  id: string;
  /** Whom it concerns: a record's person; a reception's lead and the deputies recorded at it; the deputy who received an opinion. */
  people: readonly string[];
  /** The station whose books hold it (null: an act not at a station, e.g. a training). */
  stationId: string | null;
  /** False once a record is rejected in review or retracted. */
  stands: boolean;
  /** The hashes of the files already attached, in order. */
  files: readonly string[];
}

/** Subjects by `${kind}:${id}`. */
export type EvidenceState = ReadonlyMap<string, EvidenceSubject>;

export type EvidenceCommand = Command<'AttachEvidence', { subject: { kind: EvidenceSubjectKind; id: string }; file: EvidenceFileData }>;

export const subjectKey = (kind: string, id: string) => `${kind}:${id}`;

function withSubject(state: EvidenceState, key: string, change: (subject: EvidenceSubject) => EvidenceSubject): EvidenceState {
  const subject = state.get(key);
  return subject ? new Map(state).set(key, change(subject)) : state;
}

/** Folds any event of the stream into what can carry evidence there. */
export function trackEvidence(state: EvidenceState, event: Event): EvidenceState {
  const data = event.data as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  if (isRecordCreation(event)) {
    const id = data.recordId as string;
    const person = text(data.personId);
    const next = new Map(state).set(subjectKey('record', id), {
      kind: 'record',
      id,
      people: person ? [person] : [],
      stationId: text(data.stationId),
      stands: true,
      files: [],
    });
    // A deputy recorded at a reception (ReceptionAttendanceRecorded) is one more person the reception concerns.
    const reception = text(data.receptionId);
    return reception && person
      ? withSubject(next, subjectKey('reception', reception), (subject) =>
          subject.people.includes(person) ? subject : { ...subject, people: [...subject.people, person] },
        )
      : next;
  }
  switch (event.type) {
    case 'VoterReceptionHeld':
      return new Map(state).set(subjectKey('reception', data.receptionId as string), {
        kind: 'reception',
        id: data.receptionId as string,
        people: [data.leadPersonId as string],
        stationId: data.stationId as string,
        stands: true,
        files: [],
      });
    case 'OpinionRegistered':
      return new Map(state).set(subjectKey('opinion', data.opinionId as string), {
        kind: 'opinion',
        id: data.opinionId as string,
        people: [data.receivedByPersonId as string],
        stationId: data.stationId as string,
        stands: true,
        files: [],
      });
    case 'RecordCorrected': {
      const corrected = data.corrected as Record<string, unknown>;
      const person = text(corrected.personId);
      return withSubject(state, subjectKey('record', data.recordId as string), (subject) => ({
        ...subject,
        people: person ? [person] : subject.people,
        stationId: text(corrected.stationId) ?? subject.stationId,
      }));
    }
    case 'RecordRejected':
    case 'RecordRetracted':
      return withSubject(state, subjectKey('record', data.recordId as string), (subject) => ({ ...subject, stands: false }));
    case 'EvidenceAttached': {
      const { subject, file } = data as { subject: { kind: string; id: string }; file: { sha256: string } };
      return withSubject(state, subjectKey(subject.kind, subject.id), (found) => ({ ...found, files: [...found.files, file.sha256] }));
    }
    default:
      return state;
  }
}

export const evidenceDecider: Decider<EvidenceCommand, Event, EvidenceState> = {
  category: '*',
  annotations: true,
  initialState: () => new Map(),
  decide(command, state) {
    switch (command.type) {
      case 'AttachEvidence': {
        const { subject, file } = command.data;
        const found = state.get(subjectKey(subject.kind, subject.id));
        if (!found) {
          throw new DomainError('evidence-subject-not-found', { zh: '找不到要添加佐证材料的记录', en: 'No such record, reception or opinion here' }, 'subject');
        }
        if (!found.stands) {
          throw new DomainError(
            'record-void',
            { zh: '已撤销或未通过审核的记录不能再添加佐证材料', en: 'A retracted or rejected record takes no more evidence' },
            'subject',
          );
        }
        if (found.files.includes(file.sha256)) {
          throw new DomainError(
            'evidence-exists',
            { zh: `「${file.name}」已是这条记录的佐证材料，无需重复添加`, en: `${file.name} is already evidence of this record` },
            'file',
          );
        }
        if (found.files.length >= MAX_EVIDENCE_PER_SUBJECT) {
          throw new DomainError(
            'too-much-evidence',
            { zh: `每条记录最多 ${MAX_EVIDENCE_PER_SUBJECT} 个佐证材料`, en: `At most ${MAX_EVIDENCE_PER_SUBJECT} evidence files per record` },
            'file',
          );
        }
        return [{ type: 'EvidenceAttached', data: { subject, file } }];
      }
      default:
        return assertNever(command.type);
    }
  },
  evolve: trackEvidence,
};
