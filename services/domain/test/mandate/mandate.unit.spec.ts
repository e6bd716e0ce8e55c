import { describe, it } from 'vitest';
import { mandateDecider, termDecider, type MandateCommand, type TermState } from '../../src/mandate/decider.ts';
import type { MandateEvent, TermEvent } from '../../src/mandate/events.ts';
import { spec } from '../spec.ts';

const termId = '11111111-1111-4111-8111-111111111111';
const mandateId = '22222222-2222-4222-8222-222222222222';
const personId = '33333333-3333-4333-8333-333333333333';
const opened: TermEvent = { type: 'TermOpened', data: { termId, number: 18, startsOn: '2021-10-01', plannedEndOn: '2026-09-30' } };
const openTerm: TermState = { status: 'open', termId, number: 18, startsOn: '2021-10-01', plannedEndOn: '2026-09-30', closedOn: null };
const seat = {
  mandateId,
  personId,
  termId,
  kind: 'deputy' as const,
  level: 'county' as const,
  district: '第三选区',
  township: '岳阳镇',
  portfolio: null,
  publicServant: false,
  startsOn: '2021-10-01',
  byElection: false,
};
const start = (changes: Partial<MandateCommand['data']> = {}): MandateCommand => ({
  type: 'StartMandate',
  data: { ...seat, term: openTerm, personExists: true, ...changes } as never,
});
const started: MandateEvent = { type: 'MandateStarted', data: seat };

describe('a term', () => {
  const term = spec(termDecider);
  it('opens once', () => term.given([]).when({ type: 'OpenTerm', data: opened.data }).then([opened]));
  it('rejects opening it again', () => term.given([opened]).when({ type: 'OpenTerm', data: opened.data }).thenRejects('term-exists'));
  it('rejects an end before its start', () =>
    term
      .given([])
      .when({ type: 'OpenTerm', data: { ...opened.data, plannedEndOn: '2020-01-01' } })
      .thenRejects('term-dates'));
  it('closes at the election', () =>
    term
      .given([opened])
      .when({ type: 'CloseTerm', data: { termId, closedOn: '2026-10-15' } })
      .then([{ type: 'TermClosed', data: { termId, closedOn: '2026-10-15' } }]));
  it('rejects closing an unknown term', () =>
    term
      .given([])
      .when({ type: 'CloseTerm', data: { termId, closedOn: '2026-10-15' } })
      .thenRejects('term-not-found'));
  it('rejects closing twice', () =>
    term
      .given([opened, { type: 'TermClosed', data: { termId, closedOn: '2026-10-15' } }])
      .when({ type: 'CloseTerm', data: { termId, closedOn: '2026-10-16' } })
      .thenRejects('term-closed'));
  it('rejects a close before the start', () =>
    term
      .given([opened])
      .when({ type: 'CloseTerm', data: { termId, closedOn: '2020-01-01' } })
      .thenRejects('term-dates'));
});

describe('when no mandate exists', () => {
  const mandate = spec(mandateDecider);
  it('starts one in an open term', () => mandate.given([]).when(start()).then([started]));
  it('rejects an unknown person', () =>
    mandate
      .given([])
      .when(start({ personExists: false }))
      .thenRejects('person-not-found'));
  it('rejects a term that is not open', () =>
    mandate
      .given([])
      .when(start({ term: { ...openTerm, status: 'closed', closedOn: '2026-10-01' } }))
      .thenRejects('term-not-open'));
  it('rejects a start before the term', () =>
    mandate
      .given([])
      .when(start({ startsOn: '2021-01-01' }))
      .thenRejects('before-term'));
  it('rejects a deputy without a level, and a level on a non-deputy', () => {
    mandate
      .given([])
      .when(start({ level: null }))
      .thenRejects('level-mismatch');
    mandate
      .given([])
      .when(start({ kind: 'office-staff' }))
      .thenRejects('level-mismatch');
  });
  it('rejects a township chair without a township', () =>
    mandate
      .given([])
      .when(start({ kind: 'township-chair', level: null, township: null }))
      .thenRejects('township-required'));
  it('rejects ending it', () =>
    mandate
      .given([])
      .when({ type: 'EndMandate', data: { mandateId, endsOn: '2023-01-01', reason: 'resignation' } })
      .thenRejects('mandate-not-found'));
});

describe('when the mandate is active', () => {
  const mandate = spec(mandateDecider);
  it('rejects starting it again', () => mandate.given([started]).when(start()).thenRejects('mandate-exists'));
  it('ends by resignation', () =>
    mandate
      .given([started])
      .when({ type: 'EndMandate', data: { mandateId, endsOn: '2023-06-30', reason: 'resignation' } })
      .then([{ type: 'MandateEnded', data: { mandateId, endsOn: '2023-06-30', reason: 'resignation' } }]));
  it('rejects an end before its start', () =>
    mandate
      .given([started])
      .when({ type: 'EndMandate', data: { mandateId, endsOn: '2021-01-01', reason: 'recall' } })
      .thenRejects('end-before-start'));
});

describe('when the mandate has ended', () => {
  it('rejects ending it again', () =>
    spec(mandateDecider)
      .given([started, { type: 'MandateEnded', data: { mandateId, endsOn: '2023-06-30', reason: 'death' } }])
      .when({ type: 'EndMandate', data: { mandateId, endsOn: '2023-07-30', reason: 'transfer' } })
      .thenRejects('mandate-ended'));
});
