import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIVITY_KIND_LABELS, ACTIVITY_KINDS, TRAINING_TYPE_LABELS, TRAINING_TYPES } from '../src/activity/events.ts';
import { ACT_KIND_LABELS, ACT_KINDS, ACT_VOCABULARY, actsCountedIn, HEADLINE_LABELS, HEADLINES } from '../src/kernel/acts.ts';
import { ROLE_LABELS, ROLES } from '../src/kernel/roles.ts';
import { RECORD_EVENT_TYPES, registry } from '../src/registry.ts';
import { enumName, renderWebVocabulary, WEB_VOCABULARY_PATH } from '../src/vocabulary.ts';

const named = (label: { zh: string; en: string } | undefined) => !!label && label.zh.trim() !== '' && label.en.trim() !== '';

describe('the act vocabulary', () => {
  it('names every act kind in Chinese and English', () => {
    const unnamed = ACT_KINDS.filter((act) => !named(ACT_VOCABULARY[act]));
    expect(unnamed).toEqual([]);
  });

  it('decides for every act kind which headline it counts toward, or none', () => {
    const undecided = ACT_KINDS.filter((act) => ![...HEADLINES, 'none'].includes(ACT_VOCABULARY[act]?.headline));
    expect(undecided).toEqual([]);
  });

  it('describes no kind that ACT_KINDS does not list', () => {
    expect(Object.keys(ACT_VOCABULARY).sort()).toEqual([...ACT_KINDS].sort());
  });

  it('gives each act kind a Chinese name of its own', () => {
    const names = ACT_KINDS.map((act) => ACT_KIND_LABELS[act]);
    expect(new Set(names).size).toBe(names.length);
    expect(ACT_KIND_LABELS['law-enforcement-inspection']).toBe('执法检查');
  });

  it('counts every headline over at least one kind, the supervision headline over 调研、视察、执法检查 only', () => {
    for (const headline of HEADLINES) {
      expect(named(HEADLINE_LABELS[headline])).toBe(true);
      expect(actsCountedIn(headline).length).toBeGreaterThan(0);
    }
    expect(actsCountedIn('supervision').sort()).toEqual(['inspection', 'law-enforcement-inspection', 'research']);
    expect(actsCountedIn('training')).toEqual(['training']);
  });

  it('names every role, kind of activity and kind of training in both languages', () => {
    expect(ROLES.filter((role) => !named(ROLE_LABELS[role]))).toEqual([]);
    expect(ACTIVITY_KINDS.filter((kind) => !named(ACTIVITY_KIND_LABELS[kind]))).toEqual([]);
    expect(TRAINING_TYPES.filter((type) => !named(TRAINING_TYPE_LABELS[type]))).toEqual([]);
    expect(ACTIVITY_KIND_LABELS.inspection).toEqual({ zh: ACT_VOCABULARY.inspection.zh, en: ACT_VOCABULARY.inspection.en });
  });
});

describe(WEB_VOCABULARY_PATH, () => {
  it('is the domain vocabulary as rendered now (run `npm run vocabulary -w @yingpan/domain` after changing it)', () => {
    const committed = readFileSync(new URL(`../../../${WEB_VOCABULARY_PATH}`, import.meta.url), 'utf8');
    expect(committed).toBe(renderWebVocabulary(registry));
  });

  it('names values as the GraphQL enums do, and lists every event type', () => {
    expect(enumName('law-enforcement-inspection')).toBe('LAW_ENFORCEMENT_INSPECTION');
    const text = renderWebVocabulary(registry);
    expect(text).toContain("LAW_ENFORCEMENT_INSPECTION: { zh: '执法检查', en: 'Law-enforcement inspection' }");
    for (const definition of registry.all()) expect(text).toContain(`'${definition.type}'`);
  });
});

describe('record events', () => {
  it('are the events whose data carries every act record field (RecordEventType is derived from those fields)', () => {
    const carriesRecordFields = (definition: ReturnType<typeof registry.all>[number]) => {
      const shape = (definition.schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
      return ['recordId', 'act', 'personId', 'declared'].every((field) => field in shape);
    };
    const mismatched = registry
      .all()
      .filter((definition) => !definition.annotation && (definition.record === true) !== carriesRecordFields(definition))
      .map((definition) => definition.type);
    expect(mismatched).toEqual([]);
    expect(RECORD_EVENT_TYPES).toContain('TrainingAttendanceRecorded');
    expect(RECORD_EVENT_TYPES).not.toContain('RecordApproved');
  });
});
