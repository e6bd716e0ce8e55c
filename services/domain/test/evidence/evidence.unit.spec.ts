import { describe, expect, it } from 'vitest';
import { evidenceDecider, MAX_EVIDENCE_PER_SUBJECT, subjectKey, trackEvidence, type EvidenceState } from '../../src/evidence/decider.ts';
import type { EvidenceFileData } from '../../src/evidence/events.ts';
import { foldsEvent } from '../../src/kernel/decider.ts';
import type { Event } from '../../src/kernel/messages.ts';
import { registry } from '../../src/registry.ts';
import { stationDecider } from '../../src/station/decider.ts';
import { spec } from '../spec.ts';

const stationId = '11111111-1111-4111-8111-111111111111';
const receptionId = '22222222-2222-4222-8222-222222222222';
const lead = '33333333-3333-4333-8333-333333333333';
const other = '44444444-4444-4444-8444-444444444444';
const recordId = '55555555-5555-4555-8555-555555555555';
const opinionId = '66666666-6666-4666-8666-666666666666';

const held: Event = {
  type: 'VoterReceptionHeld',
  data: { stationId, receptionId, date: '2023-03-01', leadPersonId: lead, votersReceived: 8, topics: ['道路'] },
};
const attended = (personId: string, id = recordId): Event => ({
  type: 'ReceptionAttendanceRecorded',
  data: { recordId: id, act: 'voter-reception', personId, mandateId: personId, date: '2023-03-01', declared: false, stationId, receptionId },
});
const registered: Event = {
  type: 'OpinionRegistered',
  data: {
    opinionId,
    stationId,
    receptionId,
    receivedByPersonId: other,
    receivedByMandateId: other,
    category: '交通',
    registeredOn: '2023-03-01',
    deadline: '2023-04-01',
  },
};
const file = (sha = 'a'.repeat(64), name = '接待现场.jpg'): EvidenceFileData => ({
  sha256: sha,
  mediaType: 'image/jpeg',
  size: 52_000,
  name,
  width: 1200,
  height: 900,
});
const attach = (kind: 'record' | 'reception' | 'opinion', id: string, data = file()) => ({
  type: 'AttachEvidence' as const,
  data: { subject: { kind, id }, file: data },
});
const attachedEvent = (kind: 'record' | 'reception' | 'opinion', id: string, data = file()): Event => ({
  type: 'EvidenceAttached',
  data: { subject: { kind, id }, file: data },
});

const evidence = spec(evidenceDecider);
const fold = (events: Event[]) => events.reduce(trackEvidence, new Map() as EvidenceState);

describe('what can carry evidence on a stream', () => {
  it('a reception concerns its lead and each deputy recorded at it, at its station', () => {
    const reception = fold([held, attended(other)]).get(subjectKey('reception', receptionId));
    expect(reception).toMatchObject({ stationId, people: [lead, other], files: [] });
  });

  it('an attendance is a record of its own; an opinion concerns the deputy who received it', () => {
    const state = fold([held, attended(other), registered]);
    expect(state.get(subjectKey('record', recordId))).toMatchObject({ people: [other], stationId, stands: true });
    expect(state.get(subjectKey('opinion', opinionId))).toMatchObject({ people: [other], stationId });
  });

  it('a retracted record stands no more; a correction moves it to its new person', () => {
    const corrected = { ...(attended(other).data as object), personId: lead };
    const state = fold([held, attended(other), { type: 'RecordCorrected', data: { recordId, reason: '录错了人', corrected } }]);
    expect(state.get(subjectKey('record', recordId))?.people).toEqual([lead]);
    expect(fold([held, attended(other), { type: 'RecordRetracted', data: { recordId, reason: '误录' } }]).get(subjectKey('record', recordId))?.stands).toBe(
      false,
    );
  });
});

describe('when a reception was held', () => {
  it('attaches a photo to it', () =>
    evidence
      .given([held])
      .when(attach('reception', receptionId))
      .then([{ type: 'EvidenceAttached', data: { subject: { kind: 'reception', id: receptionId }, file: file() } }]));

  it('attaches a second, different file', () =>
    evidence
      .given([held, attachedEvent('reception', receptionId)])
      .when(attach('reception', receptionId, file('b'.repeat(64), '签到表.pdf')))
      .then([{ type: 'EvidenceAttached', data: { subject: { kind: 'reception', id: receptionId }, file: file('b'.repeat(64), '签到表.pdf') } }]));

  it('refuses the same file twice', () =>
    evidence
      .given([held, attachedEvent('reception', receptionId)])
      .when(attach('reception', receptionId))
      .thenRejects('evidence-exists'));

  it('refuses a file past the limit of files', () =>
    evidence
      .given([
        held,
        ...Array.from({ length: MAX_EVIDENCE_PER_SUBJECT }, (_, index) => attachedEvent('reception', receptionId, file(index.toString(16).padStart(64, '0')))),
      ])
      .when(attach('reception', receptionId))
      .thenRejects('too-much-evidence'));

  it('refuses a reception or opinion the stream does not hold', () => {
    evidence.given([held]).when(attach('reception', lead)).thenRejects('evidence-subject-not-found');
    evidence.given([held]).when(attach('opinion', receptionId)).thenRejects('evidence-subject-not-found');
  });
});

describe('when a record was retracted', () => {
  it('takes no more evidence', () =>
    evidence
      .given([held, attended(other), { type: 'RecordRetracted', data: { recordId, reason: '误录' } }])
      .when(attach('record', recordId))
      .thenRejects('record-void'));
});

describe('an evidence event on a station’s stream', () => {
  it('is an annotation: the station’s own decider never sees it, the evidence decider does', () => {
    expect(registry.isAnnotation('EvidenceAttached')).toBe(true);
    expect(registry.isAnnotation('VoterReceptionHeld')).toBe(false);
    expect(foldsEvent(stationDecider, registry, 'EvidenceAttached')).toBe(false);
    expect(foldsEvent(evidenceDecider, registry, 'EvidenceAttached')).toBe(true);
    expect(foldsEvent(stationDecider, registry, 'VoterReceptionHeld')).toBe(true);
  });
});
