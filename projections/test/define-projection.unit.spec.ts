/**
 * `defineProjection` types a projection from the domain's registry. The type checker is the test
 * here (`npm run check` compiles this file): a misspelt event type, or reading a field the handled
 * event does not have, does not compile. At run time the engine receives the projection unchanged.
 */
import { describe, expect, it } from 'vitest';
import { defineProjection } from '../src/engine/projection.ts';
import { directory } from '../src/directory/projection.ts';

describe('defineProjection', () => {
  it('hands the engine the projection as declared, its handled types included', async () => {
    const seen: string[] = [];
    const declared = {
      name: 'probe',
      version: 1,
      handles: ['TermOpened', 'TermClosed'] as const,
      tables: () => '',
      async apply(_tx: unknown, _schema: string, event: { type: 'TermOpened' | 'TermClosed'; data: { termId: string } }) {
        seen.push(`${event.type}:${event.data.termId}`);
      },
    };
    const projection = defineProjection(declared);
    expect(projection).toBe(declared);
    expect(projection.handles).toEqual(['TermOpened', 'TermClosed']);
    expect(directory.handles).toEqual(['PersonRegistered', 'TrainingOrganised', 'TrainingAttendanceRecorded']);
  });

  it('refuses, at compile time, a type the registry does not know and a field the event does not carry', () => {
    const refused = () => [
      defineProjection({
        name: 'typo',
        version: 1,
        // @ts-expect-error "TermOpend" is not an event type
        handles: ['TermOpend'],
        tables: () => '',
        async apply() {},
      }),
      defineProjection({
        name: 'wrong-field',
        version: 1,
        handles: ['TermClosed'],
        tables: () => '',
        async apply(_tx, _schema, event) {
          // @ts-expect-error a closed term has no startsOn
          void event.data.startsOn;
        },
      }),
    ];
    expect(refused).toBeTypeOf('function');
  });
});
