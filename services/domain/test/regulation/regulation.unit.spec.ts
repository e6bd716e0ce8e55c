import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fold } from '../../src/kernel/decider.ts';
import { regulationDecider, type RegulationCommand } from '../../src/regulation/decider.ts';
import type { RegulationEvent } from '../../src/regulation/events.ts';
import { SCORING_RULES_2021, SCORING_RULES_2024 } from '../../src/regulation/examples.ts';
import { rulesInForce } from '../../src/regulation/in-force.ts';
import { spec } from '../spec.ts';

const regulationId = randomUUID();
const enactedData = {
  regulationId,
  title: '《代表履职监督量化评价暂行办法》',
  category: 'scoring' as const,
  effectiveFrom: '2021-01-01',
  summary: '代表履职实行积分制，基础分60分，按履职事项加减分，年度评定等次。',
  scoringRules: SCORING_RULES_2021,
};
const enacted: RegulationEvent = { type: 'RegulationEnacted', data: { ...enactedData, version: 1 } };
const amendedData = {
  regulationId,
  version: 2,
  effectiveFrom: '2024-01-01',
  changes: '提高建议和培训分值，增设结队帮带为自选履职事项。',
  scoringRules: SCORING_RULES_2024,
};
const amended: RegulationEvent = { type: 'RegulationAmended', data: amendedData };
const repealed: RegulationEvent = { type: 'RegulationRepealed', data: { regulationId, repealedOn: '2026-01-01', reason: '被新办法取代' } };

const enact = (changes: Partial<Extract<RegulationCommand, { type: 'EnactRegulation' }>['data']> = {}): RegulationCommand => ({
  type: 'EnactRegulation',
  data: { ...enactedData, ...changes },
});
const amend = (effectiveFrom = '2024-01-01', scoringRules: typeof SCORING_RULES_2024 | null = SCORING_RULES_2024): RegulationCommand => ({
  type: 'AmendRegulation',
  data: { regulationId, effectiveFrom, changes: '提高建议和培训分值，增设结队帮带为自选履职事项。', scoringRules },
});
const repeal = (repealedOn = '2026-01-01'): RegulationCommand => ({ type: 'RepealRegulation', data: { regulationId, repealedOn, reason: '被新办法取代' } });

const stationRule = enact({ title: '《代表联络站管理制度》', category: 'station', summary: '联络站每月固定接待日。', scoringRules: null });
const stationEnacted: RegulationEvent = {
  type: 'RegulationEnacted',
  data: {
    regulationId,
    title: '《代表联络站管理制度》',
    category: 'station',
    version: 1,
    effectiveFrom: '2021-01-01',
    summary: '联络站每月固定接待日。',
    scoringRules: null,
  },
};

const regulation = spec(regulationDecider);

describe('when no regulation exists', () => {
  it('enacts a scoring regulation with its rules as version 1', () => {
    regulation.given([]).when(enact()).then([enacted]);
  });
  it('enacts a station regulation without scoring rules', () => {
    regulation.given([]).when(stationRule).then([stationEnacted]);
  });
  it('rejects a scoring regulation without scoring rules', () => {
    regulation
      .given([])
      .when(enact({ scoringRules: null }))
      .thenRejects('scoring-rules-required');
  });
  it('rejects scoring rules on a regulation of another category', () => {
    regulation
      .given([])
      .when(enact({ category: 'procedure' }))
      .thenRejects('scoring-rules-not-allowed');
  });
  it('rejects an amendment or a repeal', () => {
    regulation.given([]).when(amend()).thenRejects('regulation-not-found');
    regulation.given([]).when(repeal()).thenRejects('regulation-not-found');
  });
});

describe('when the regulation is in force', () => {
  it('rejects enacting it again', () => {
    regulation.given([enacted]).when(enact()).thenRejects('regulation-exists');
  });
  it('amends it into version 2', () => {
    regulation.given([enacted]).when(amend()).then([amended]);
  });
  it('rejects an amendment effective on or before the current version', () => {
    regulation.given([enacted]).when(amend('2021-01-01')).thenRejects('effective-date-order');
    regulation.given([enacted]).when(amend('2020-06-01')).thenRejects('effective-date-order');
  });
  it('rejects an amendment of a scoring regulation without rules', () => {
    regulation.given([enacted]).when(amend('2024-01-01', null)).thenRejects('scoring-rules-required');
  });
  it('rejects scoring rules in an amendment of a station regulation', () => {
    regulation.given([stationEnacted]).when(amend()).thenRejects('scoring-rules-not-allowed');
  });
  it('repeals it', () => {
    regulation.given([enacted]).when(repeal()).then([repealed]);
  });
  it('rejects a repeal effective on or before the current version', () => {
    regulation.given([enacted]).when(repeal('2021-01-01')).thenRejects('effective-date-order');
  });
});

describe('when the regulation has been amended', () => {
  it('numbers the next amendment version 3', () => {
    regulation
      .given([enacted, amended])
      .when(amend('2025-01-01'))
      .then([{ type: 'RegulationAmended', data: { ...amendedData, version: 3, effectiveFrom: '2025-01-01' } }]);
  });
  it('rejects an amendment effective before the latest version', () => {
    regulation.given([enacted, amended]).when(amend('2023-06-01')).thenRejects('effective-date-order');
  });
  it('rejects a repeal before the latest version took effect', () => {
    regulation.given([enacted, amended]).when(repeal('2023-06-01')).thenRejects('effective-date-order');
  });
});

describe('when the regulation is repealed', () => {
  it('rejects an amendment', () => {
    regulation.given([enacted, repealed]).when(amend()).thenRejects('regulation-repealed');
  });
  it('rejects a second repeal', () => {
    regulation.given([enacted, repealed]).when(repeal('2027-01-01')).thenRejects('regulation-repealed');
  });
});

describe('the versions a regulation’s stream folds into', () => {
  it('tell which rules decide each day', () => {
    const state = fold(regulationDecider, [enacted, amended, repealed]);
    if (state.status === 'none') throw new Error('expected a regulation');
    expect(state.status).toBe('repealed');
    expect(state.versions.map((version) => version.version)).toEqual([1, 2]);
    expect(rulesInForce(state.versions, '2020-12-31')).toBeNull();
    expect(rulesInForce(state.versions, '2023-12-31')?.scoringRules).toBe(SCORING_RULES_2021);
    expect(rulesInForce(state.versions, '2024-01-01')?.scoringRules).toBe(SCORING_RULES_2024);
    expect(rulesInForce(state.versions, '2025-12-31')?.version).toBe(2);
    expect(rulesInForce(state.versions, '2026-01-01')).toBeNull();
  });
});

describe('rulesInForce', () => {
  const v1 = { version: 1, effectiveFrom: '2021-01-01', repealedOn: null };
  const v2 = { version: 2, effectiveFrom: '2024-01-01', repealedOn: null };
  it('finds nothing without versions', () => {
    expect(rulesInForce([], '2024-01-01')).toBeNull();
  });
  it('finds nothing before the first version takes effect', () => {
    expect(rulesInForce([v1, v2], '2020-12-31')).toBeNull();
  });
  it('finds a version from its first day until the next version’s', () => {
    expect(rulesInForce([v1, v2], '2021-01-01')).toBe(v1);
    expect(rulesInForce([v1, v2], '2023-12-31')).toBe(v1);
    expect(rulesInForce([v1, v2], '2024-01-01')).toBe(v2);
    expect(rulesInForce([v1, v2], '2030-01-01')).toBe(v2);
  });
  it('does not depend on the order of the versions', () => {
    expect(rulesInForce([v2, v1], '2022-05-01')).toBe(v1);
    expect(rulesInForce([v2, v1], '2024-05-01')).toBe(v2);
  });
  it('takes the later of two versions effective the same day', () => {
    const v2b = { ...v2, version: 3 };
    expect(rulesInForce([v1, v2, v2b], '2024-05-01')).toBe(v2b);
  });
  it('finds nothing from the repeal on, whether the date is on every version or the last', () => {
    const repealedOn = '2026-01-01';
    for (const versions of [
      [
        { ...v1, repealedOn },
        { ...v2, repealedOn },
      ],
      [v1, { ...v2, repealedOn }],
    ]) {
      expect(rulesInForce(versions, '2025-12-31')?.version).toBe(2);
      expect(rulesInForce(versions, '2026-01-01')).toBeNull();
      expect(rulesInForce(versions, '2022-01-01')?.version).toBe(1);
      expect(rulesInForce(versions, '2030-01-01')).toBeNull();
    }
  });
});
