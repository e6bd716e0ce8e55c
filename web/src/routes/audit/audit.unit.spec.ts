import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NOW } from '$lib/as-of';
import { EMPTY_FILTER, afterView, changedKeys, eventQueryArgs, historyWindow, parseCatalogue, prettyJson, shortHash } from './audit';

const SAMPLE = `# Event catalogue

Every event yingpan writes …

## Stream \`person:<id>\`

### PersonRegistered (v1)

A person became known to the congress.

| field | type | meaning |
| --- | --- | --- |
| personId | UUID |  |

## Stream \`activity:<id>\`

### TrainingOrganised (v1)

| field | type | meaning |

### TrainingAttendanceRecorded (v3)

A person attended a training.

## Stream \`*:<id>\`

### RecordApproved (v1)

Staff approved a record.
`;

describe('the event catalogue', () => {
  it('lists the streams and their types in order, each with what it means', () => {
    expect(parseCatalogue(SAMPLE)).toEqual([
      { category: 'person', types: [{ type: 'PersonRegistered', version: 1, description: 'A person became known to the congress.' }] },
      {
        category: 'activity',
        types: [
          { type: 'TrainingOrganised', version: 1, description: '' },
          { type: 'TrainingAttendanceRecorded', version: 3, description: 'A person attended a training.' },
        ],
      },
      { category: '*', types: [{ type: 'RecordApproved', version: 1, description: 'Staff approved a record.' }] },
    ]);
  });

  it('reads the real catalogue the page is built with (docs/events.md)', () => {
    const streams = parseCatalogue(readFileSync(new URL('../../../../docs/events.md', import.meta.url), 'utf8'));
    const types = streams.flatMap((stream) => stream.types.map((type) => type.type));
    expect(streams.map((stream) => stream.category)).toEqual(expect.arrayContaining(['person', 'station', 'opinion', '*']));
    expect(types).toEqual(expect.arrayContaining(['PersonRegistered', 'OpinionRegistered', 'TrainingAttendanceRecorded', 'RecordCorrected']));
    expect(new Set(types).size).toBe(types.length);
  });
});

describe('the events query for the filter form and the header’s view', () => {
  it('asks for everything, newest first, when nothing is chosen', () => {
    expect(eventQueryArgs(EMPTY_FILTER, NOW)).toEqual({});
  });

  it('turns each chosen field into its filter; days are whole county days', () => {
    const args = eventQueryArgs(
      {
        type: 'OpinionRegistered',
        streamCategory: 'opinion',
        streamId: ' opinion:1 ',
        recorderRole: 'staff',
        recordedFrom: '2024-01-01',
        recordedTo: '2024-01-31',
        occurredFrom: '2023-12-01',
        occurredTo: '2023-12-31',
      },
      NOW,
    );
    expect(args).toEqual({
      filter: {
        types: ['OpinionRegistered'],
        streamCategory: 'opinion',
        streamId: 'opinion:1',
        recorderRole: 'staff',
        recordedFrom: '2024-01-01T00:00:00+08:00',
        recordedTo: '2024-02-01T00:00:00+08:00',
        occurredFrom: '2023-12-01T00:00:00+08:00',
        occurredTo: '2024-01-01T00:00:00+08:00',
      },
    });
  });

  it('leaves out a malformed day rather than send it', () => {
    expect(eventQueryArgs({ ...EMPTY_FILTER, recordedFrom: '2024-02-30' }, NOW)).toEqual({});
  });

  it('shows, at a log position, only what was recorded up to it', () => {
    expect(eventQueryArgs(EMPTY_FILTER, { view: 'KNOWN', position: 3000 })).toEqual({ start: '3001' });
    expect(eventQueryArgs(EMPTY_FILTER, { view: 'KNOWN', position: 0 })).toEqual({ start: '1' });
  });

  it('shows, on a date, only what happened up to that day (the earlier of it and the form’s end)', () => {
    expect(eventQueryArgs(EMPTY_FILTER, { view: 'HAPPENED', date: '2024-06-30' })).toEqual({ filter: { occurredTo: '2024-07-01T00:00:00+08:00' } });
    expect(eventQueryArgs({ ...EMPTY_FILTER, occurredTo: '2024-03-31' }, { view: 'HAPPENED', date: '2024-06-30' }).filter?.occurredTo).toBe(
      '2024-04-01T00:00:00+08:00',
    );
    expect(eventQueryArgs({ ...EMPTY_FILTER, occurredTo: '2024-12-31' }, { view: 'HAPPENED', date: '2024-06-30' }).filter?.occurredTo).toBe(
      '2024-07-01T00:00:00+08:00',
    );
  });

  it('knows which events the view does not hold yet', () => {
    const event = { position: 10, occurredAt: '2024-06-30T15:59:59Z' };
    expect(afterView(event, NOW)).toBe(false);
    expect(afterView(event, { view: 'KNOWN', position: 9 })).toBe(true);
    expect(afterView(event, { view: 'KNOWN', position: 10 })).toBe(false);
    expect(afterView(event, { view: 'HAPPENED', date: '2024-06-30' })).toBe(false);
    expect(afterView({ ...event, occurredAt: '2024-06-30T16:00:00Z' }, { view: 'HAPPENED', date: '2024-06-30' })).toBe(true);
  });

  it('shows, as known on a day, only what was recorded by its end (the earlier of it and the form’s end)', () => {
    expect(eventQueryArgs(EMPTY_FILTER, { view: 'KNOWN_ON', date: '2024-06-30' })).toEqual({ filter: { recordedTo: '2024-07-01T00:00:00+08:00' } });
    expect(eventQueryArgs({ ...EMPTY_FILTER, recordedTo: '2024-03-31' }, { view: 'KNOWN_ON', date: '2024-06-30' }).filter?.recordedTo).toBe(
      '2024-04-01T00:00:00+08:00',
    );
    const event = { position: 10, occurredAt: '2024-01-01T00:00:00Z', recordedAt: '2024-06-30T15:59:59Z' };
    expect(afterView(event, { view: 'KNOWN_ON', date: '2024-06-30' })).toBe(false);
    expect(afterView({ ...event, recordedAt: '2024-06-30T16:00:00Z' }, { view: 'KNOWN_ON', date: '2024-06-30' })).toBe(true);
  });
});

describe('stepping through a stream', () => {
  it('reads 99 steps at a time, each window after the first with the step before it', () => {
    expect(historyWindow(1)).toEqual({ index: 0, first: 99 });
    expect(historyWindow(99)).toEqual({ index: 0, first: 99 });
    expect(historyWindow(100)).toEqual({ index: 1, after: '98', first: 100 });
    expect(historyWindow(198)).toEqual({ index: 1, after: '98', first: 100 });
    expect(historyWindow(199)).toEqual({ index: 2, after: '197', first: 100 });
  });

  it('names the parts of the state an event changed', () => {
    expect(changedKeys({ status: 'registered', agency: null, id: 'o' }, { status: 'referred', agency: '县卫健局', id: 'o' })).toEqual(['status', 'agency']);
    expect(changedKeys({}, { id: 'o', roster: { a: 1 } })).toEqual(['id', 'roster']);
    expect(changedKeys({ roster: { a: 1 }, gone: true }, { roster: { a: 2 } })).toEqual(['roster', 'gone']);
    expect(changedKeys(null, null)).toEqual([]);
  });

  it('shortens hashes and indents JSON', () => {
    expect(shortHash('38b8532acd1075a70800cda6e356b685')).toBe('38b8532acd10…');
    expect(shortHash('abc')).toBe('abc');
    expect(prettyJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyJson(undefined)).toBe('null');
  });
});
