/**
 * What a form just recorded that evidence can be attached to (the confirmation's 佐证材料): a voter
 * reception (on its station's stream), an opinion (on its own), or a record named by the command's
 * `recordId` (on the stream its events were written on).
 */
import type { Words } from '$lib/i18n';
import { opinionStream, receptionStream, type EvidenceSubject } from './evidence';

/** One command the form sent, with the streams its events were written on. */
export interface SentCommand {
  mutation: string;
  input: Record<string, unknown>;
  streams: readonly string[];
  label?: Words;
}

export interface RecordedSubject extends EvidenceSubject {
  /** What it is, in words (the dialog's title). */
  label: Words;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

export function evidenceSubjectsOf(sent: readonly SentCommand[], title: Words): RecordedSubject[] {
  const subjects: RecordedSubject[] = [];
  for (const command of sent) {
    const { input } = command;
    const reception = text(input.receptionId);
    const station = text(input.stationId);
    const opinion = text(input.opinionId);
    const record = text(input.recordId);
    if (command.mutation === 'recordVoterReception' && reception && station) {
      subjects.push({ kind: 'reception', id: reception, streamId: receptionStream(station), label: { zh: '接待选民', en: 'Voter reception' } });
    } else if (command.mutation === 'registerOpinion' && opinion) {
      subjects.push({ kind: 'opinion', id: opinion, streamId: opinionStream(opinion), label: { zh: '意见建议', en: 'Opinion' } });
    } else if (record) {
      subjects.push({ kind: 'record', id: record, streamId: command.streams[0] ?? null, label: command.label ?? title });
    }
  }
  return subjects;
}
