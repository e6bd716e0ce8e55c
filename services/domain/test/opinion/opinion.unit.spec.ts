import { describe, it } from 'vitest';
import { fold } from '../../src/kernel/decider.ts';
import { opinionDecider, type OpinionCommand } from '../../src/opinion/decider.ts';
import type { OpinionEvent } from '../../src/opinion/events.ts';
import { stationDecider, type StationStreamEvent } from '../../src/station/decider.ts';
import type { StationState } from '../../src/station/state.ts';
import { spec } from '../spec.ts';
import {
  closed,
  deputyAssigned,
  deputyId,
  deputyMandateId,
  otherDeputyId,
  otherDeputyMandateId,
  receptionId,
  recordIds,
  stationId,
  stationWithReception,
} from '../station/fixtures.ts';

const opinionId = '6b2d3e4f-0000-4000-8000-000000000001';
const opinion = spec(opinionDecider);
const stationOf = (events: StationStreamEvent[]): StationState => fold(stationDecider, events);
const withReception = stationOf(stationWithReception);

const registration = {
  opinionId,
  stationId,
  receptionId: receptionId as string | null,
  receivedByPersonId: deputyId,
  voter: { name: '王五', phone: '13800000000', address: '龙台镇红光村三组' },
  content: '红光村到镇上的道路坑洼，雨天难行，希望尽快维修。',
  category: '道路交通',
  registeredOn: '2022-03-15',
  deadline: '2022-04-15',
};
const register = (changes: Partial<typeof registration> = {}, station: StationState = withReception): OpinionCommand => ({
  type: 'RegisterOpinion',
  data: { ...registration, ...changes, station },
});
const registered = (changes: Partial<typeof registration> = {}): OpinionEvent => ({
  type: 'OpinionRegistered',
  data: { ...registration, ...changes, receivedByMandateId: deputyMandateId },
});

const refer = (agency = '县交通运输局', referredOn = '2022-03-16', deadline = '2022-04-30'): OpinionCommand => ({
  type: 'ReferOpinion',
  data: { opinionId, agency, referredOn, deadline },
});
const referred = (agency = '县交通运输局', referredOn = '2022-03-16', deadline = '2022-04-30'): OpinionEvent => ({
  type: 'OpinionReferred',
  data: { opinionId, agency, referredOn, deadline },
});
const answer = (answeredOn = '2022-04-10'): OpinionCommand => ({
  type: 'AnswerOpinion',
  data: { opinionId, answeredOn, answer: '已列入今年农村公路养护计划，5 月底前完成。' },
});
const answered = (agency: string | null = '县交通运输局', answeredOn = '2022-04-10'): OpinionEvent => ({
  type: 'OpinionAnswered',
  data: { opinionId, answeredOn, answer: '已列入今年农村公路养护计划，5 月底前完成。', agency },
});
const close = (satisfaction: 'satisfied' | 'basically-satisfied' | 'dissatisfied' = 'satisfied', closedOn = '2022-04-20'): OpinionCommand => ({
  type: 'CloseOpinion',
  data: { opinionId, closedOn, satisfaction, note: null },
});
const closedAs = (satisfaction: 'satisfied' | 'basically-satisfied' | 'dissatisfied', closedOn = '2022-04-20'): OpinionEvent => ({
  type: 'OpinionClosed',
  data: { opinionId, closedOn, satisfaction, note: null },
});
const reopen = (reopenedOn = '2022-04-25', deadline = '2022-05-31'): OpinionCommand => ({
  type: 'ReopenOpinion',
  data: { opinionId, reopenedOn, reason: '道路仍未维修', deadline },
});
const reopened: OpinionEvent = { type: 'OpinionReopened', data: { opinionId, reopenedOn: '2022-04-25', reason: '道路仍未维修', deadline: '2022-05-31' } };

describe('registering an opinion', () => {
  it('registers one received at a reception, with the mandate the deputy is assigned in', () => {
    opinion.given([]).when(register()).then([registered()]);
  });
  it('registers one received outside a reception', () => {
    opinion
      .given([])
      .when(register({ receptionId: null, registeredOn: '2022-05-01', deadline: '2022-05-01' }))
      .then([registered({ receptionId: null, registeredOn: '2022-05-01', deadline: '2022-05-01' })]);
  });
  it('rejects registering it twice', () => {
    opinion.given([registered()]).when(register()).thenRejects('opinion-exists');
  });
  it('rejects an unknown station', () => {
    opinion
      .given([])
      .when(register({}, stationOf([])))
      .thenRejects('station-not-found');
  });
  it('rejects a date before the station was established', () => {
    opinion
      .given([])
      .when(register({ receptionId: null, registeredOn: '2022-01-09' }))
      .thenRejects('before-establishment');
  });
  it('rejects a date after the station closed', () => {
    opinion
      .given([])
      .when(register({ registeredOn: '2023-01-01', deadline: '2023-02-01' }, stationOf([...stationWithReception, closed()])))
      .thenRejects('station-closed');
  });
  it('rejects a deadline before the registration', () => {
    opinion
      .given([])
      .when(register({ deadline: '2022-03-14' }))
      .thenRejects('deadline-too-early');
  });
  it('rejects a receiving deputy not assigned to the station', () => {
    opinion
      .given([])
      .when(register({ receptionId: null, receivedByPersonId: otherDeputyId }))
      .thenRejects('not-assigned');
  });
  it('rejects a reception the station does not have', () => {
    opinion
      .given([])
      .when(register({ receptionId: '6b2d3e4f-0000-4000-8000-0000000000ff' }))
      .thenRejects('reception-not-found');
  });
  it('rejects a registration before the reception', () => {
    opinion
      .given([])
      .when(register({ registeredOn: '2022-03-14' }))
      .thenRejects('date-too-early');
  });
  it('rejects a receiving deputy who was not at the reception', () => {
    const station = stationOf([...stationWithReception, deputyAssigned(otherDeputyId, otherDeputyMandateId)]);
    opinion
      .given([])
      .when(register({ receivedByPersonId: otherDeputyId }, station))
      .thenRejects('not-at-reception');
  });
  it('rejects a reception whose deputy’s attendance was retracted', () => {
    const station = stationOf([...stationWithReception, { type: 'RecordRetracted', data: { recordId: recordIds[0], reason: '录入错误' } }]);
    opinion.given([]).when(register({}, station)).thenRejects('not-at-reception');
  });
});

describe('when no opinion exists', () => {
  it.each([
    ['a referral', refer(), 'opinion-not-found'],
    ['an answer', answer(), 'opinion-not-found'],
    ['a closing', close(), 'opinion-not-found'],
    ['a reopening', reopen(), 'opinion-not-found'],
  ])('rejects %s', (_, command, code) => {
    opinion.given([]).when(command).thenRejects(code);
  });
});

describe('when the opinion is registered', () => {
  it('refers it to an agency', () => {
    opinion.given([registered()]).when(refer()).then([referred()]);
  });
  it('answers it on the spot (当场答复), naming no agency', () => {
    opinion
      .given([registered()])
      .when(answer('2022-03-15'))
      .then([answered(null, '2022-03-15')]);
  });
  it('rejects a referral before the registration', () => {
    opinion.given([registered()]).when(refer('县交通运输局', '2022-03-14')).thenRejects('date-too-early');
  });
  it('rejects a referral whose deadline is before the referral', () => {
    opinion
      .given([registered()])
      .when(refer('县交通运输局', '2022-03-16', '2022-03-15'))
      .thenRejects('deadline-too-early');
  });
  it('rejects an answer before the registration', () => {
    opinion.given([registered()]).when(answer('2022-03-14')).thenRejects('date-too-early');
  });
  it('rejects closing it before it is answered', () => {
    opinion.given([registered()]).when(close()).thenRejects('not-answered');
  });
  it('rejects reopening it', () => {
    opinion.given([registered()]).when(reopen()).thenRejects('not-closed');
  });
});

describe('when the opinion is referred', () => {
  const history = [registered(), referred()];
  it('re-refers it to another agency', () => {
    opinion
      .given(history)
      .when(refer('县住房和城乡建设局', '2022-03-20'))
      .then([referred('县住房和城乡建设局', '2022-03-20')]);
  });
  it('rejects referring it to the same agency again', () => {
    opinion.given(history).when(refer('县交通运输局', '2022-03-20')).thenRejects('already-referred');
  });
  it('rejects a re-referral before the referral', () => {
    opinion.given(history).when(refer('县住房和城乡建设局', '2022-03-15')).thenRejects('date-too-early');
  });
  it('records the agency’s answer', () => {
    opinion.given(history).when(answer()).then([answered()]);
  });
  it('records the answer of the agency it was last referred to', () => {
    opinion
      .given([...history, referred('县住房和城乡建设局', '2022-03-20')])
      .when(answer())
      .then([answered('县住房和城乡建设局')]);
  });
  it('rejects an answer before the referral', () => {
    opinion.given(history).when(answer('2022-03-15')).thenRejects('date-too-early');
  });
  it('rejects closing it before it is answered', () => {
    opinion.given(history).when(close()).thenRejects('not-answered');
  });
});

describe('when the opinion is answered', () => {
  const history = [registered(), referred(), answered()];
  it('rejects another answer', () => {
    opinion.given(history).when(answer('2022-04-11')).thenRejects('already-answered');
  });
  it('rejects a referral', () => {
    opinion.given(history).when(refer('县住房和城乡建设局', '2022-04-11')).thenRejects('already-answered');
  });
  it.each(['satisfied', 'basically-satisfied', 'dissatisfied'] as const)('closes it with the voter %s', (satisfaction) => {
    opinion
      .given(history)
      .when(close(satisfaction))
      .then([closedAs(satisfaction)]);
  });
  it('rejects closing it before the answer', () => {
    opinion.given(history).when(close('satisfied', '2022-04-09')).thenRejects('date-too-early');
  });
});

describe('when the opinion is closed', () => {
  const history = [registered(), referred(), answered(), closedAs('satisfied')];
  it.each([
    ['a referral', refer('县住房和城乡建设局', '2022-05-01')],
    ['an answer', answer('2022-05-01')],
    ['a closing', close('satisfied', '2022-05-01')],
  ])('rejects %s', (_, command) => {
    opinion.given(history).when(command).thenRejects('opinion-closed');
  });
  it('rejects reopening it when the voter was satisfied', () => {
    opinion.given(history).when(reopen()).thenRejects('not-dissatisfied');
  });
});

describe('when the opinion is closed with the voter dissatisfied', () => {
  const history = [registered(), referred(), answered(), closedAs('dissatisfied')];
  it('reopens it for handling again', () => {
    opinion.given(history).when(reopen()).then([reopened]);
  });
  it('rejects reopening it before the closing', () => {
    opinion.given(history).when(reopen('2022-04-19')).thenRejects('date-too-early');
  });
  it('rejects a new deadline before the reopening', () => {
    opinion.given(history).when(reopen('2022-04-25', '2022-04-24')).thenRejects('deadline-too-early');
  });
});

describe('when the opinion is reopened', () => {
  const history = [registered(), referred(), answered(), closedAs('dissatisfied'), reopened];
  it('refers it again, even to the same agency', () => {
    opinion
      .given(history)
      .when(refer('县交通运输局', '2022-04-26', '2022-05-31'))
      .then([referred('县交通运输局', '2022-04-26', '2022-05-31')]);
  });
  it('answers it on the spot after the reopening', () => {
    opinion
      .given(history)
      .when(answer('2022-04-26'))
      .then([answered(null, '2022-04-26')]);
  });
  it('rejects an answer before the reopening', () => {
    opinion.given(history).when(answer('2022-04-24')).thenRejects('date-too-early');
  });
  it('rejects reopening it again', () => {
    opinion.given(history).when(reopen('2022-04-26')).thenRejects('not-closed');
  });
});
