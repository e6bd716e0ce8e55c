import { describe, expect, it } from 'vitest';
import { evidenceSubjectsOf } from './subjects';

const title = { zh: '进站履职', en: 'Station visit' };

describe('what a form recorded that evidence attaches to', () => {
  it('a reception on its station’s stream, an opinion on its own, a record on the stream its events went to', () => {
    expect(
      evidenceSubjectsOf(
        [
          { mutation: 'recordVoterReception', input: { receptionId: 'r1', stationId: 's1', deputies: [{ recordId: 'x' }] }, streams: ['station:s1'] },
          { mutation: 'registerOpinion', input: { opinionId: 'o1', stationId: 's1' }, streams: ['opinion:o1'] },
          { mutation: 'recordStationVisit', input: { recordId: 'v1', stationId: 's1' }, streams: ['station:s1'] },
        ],
        title,
      ).map(({ kind, id, streamId }) => ({ kind, id, streamId })),
    ).toEqual([
      { kind: 'reception', id: 'r1', streamId: 'station:s1' },
      { kind: 'opinion', id: 'o1', streamId: 'opinion:o1' },
      { kind: 'record', id: 'v1', streamId: 'station:s1' },
    ]);
  });

  it('nothing for a command that records no subject (an opinion referred, a suggestion drafted)', () => {
    expect(evidenceSubjectsOf([{ mutation: 'referOpinion', input: { opinionId: 'o1', agency: '县交通局' }, streams: ['opinion:o1'] }], title)).toEqual([]);
    expect(evidenceSubjectsOf([{ mutation: 'draftSuggestion', input: { suggestionId: 'g1' }, streams: ['suggestion:g1'] }], title)).toEqual([]);
  });

  it('a record whose stream is not known yet has none (nothing can be attached until it is)', () => {
    expect(evidenceSubjectsOf([{ mutation: 'recordHomeVisit', input: { recordId: 'h1' }, streams: [] }], title)[0]?.streamId).toBeNull();
  });
});
