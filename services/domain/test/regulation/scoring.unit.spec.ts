import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ACT_KINDS } from '../../src/kernel/acts.ts';
import { SCORING_RULES_2021, SCORING_RULES_2024 } from '../../src/regulation/examples.ts';
import { scoringRulesSchema, type ScoringRules } from '../../src/regulation/scoring.ts';

/** The paths and messages of the problems the schema finds in `rules`. */
function problems(rules: unknown): { path: string; message: string }[] {
  const result = scoringRulesSchema.safeParse(rules);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}
const paths = (rules: unknown) => problems(rules).map((problem) => problem.path);
const withRules = (changes: Partial<ScoringRules>): ScoringRules => ({ ...SCORING_RULES_2021, ...changes });

describe('the example rule sets', () => {
  it('are valid', () => {
    expect(problems(SCORING_RULES_2021)).toEqual([]);
    expect(problems(SCORING_RULES_2024)).toEqual([]);
  });
  it('2021 has the eight core duties and no extra', () => {
    expect(SCORING_RULES_2021.coreDuties.filter((duty) => duty.core)).toHaveLength(8);
    expect(SCORING_RULES_2021.coreDuties.every((duty) => duty.core)).toBe(true);
  });
  it('2024 keeps the core duties, adds one extra (X) duty and changes weights', () => {
    expect(SCORING_RULES_2024.coreDuties.filter((duty) => duty.core)).toEqual(SCORING_RULES_2021.coreDuties);
    expect(SCORING_RULES_2024.coreDuties.filter((duty) => !duty.core).map((duty) => duty.label)).toEqual(['结队帮带']);
    const weight = (rules: ScoringRules, act: string) => rules.points.find((rule) => rule.act === act)?.points;
    expect([weight(SCORING_RULES_2021, 'suggestion'), weight(SCORING_RULES_2024, 'suggestion')]).toEqual([3, 4]);
    expect(weight(SCORING_RULES_2024, 'inspection')).toBe(weight(SCORING_RULES_2021, 'inspection'));
  });
  it('name only known acts', () => {
    const acts = [...SCORING_RULES_2024.points, ...SCORING_RULES_2024.deductions, ...SCORING_RULES_2024.coreDuties].map((rule) => rule.act);
    for (const act of acts) expect(ACT_KINDS).toContain(act);
  });
});

describe('the scoring rules schema', () => {
  it('documents every field, nested ones included', () => {
    const undocumented: string[] = [];
    const visit = (schema: Record<string, unknown>, path: string) => {
      const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      for (const [name, field] of Object.entries(properties)) {
        const described = field.description ?? (field.anyOf as Record<string, unknown>[] | undefined)?.find((option) => option.description)?.description;
        if (!described) undocumented.push(`${path}${name}`);
        visit(field, `${path}${name}.`);
        if (field.items) visit(field.items as Record<string, unknown>, `${path}${name}[].`);
      }
    };
    visit(z.toJSONSchema(scoringRulesSchema, { unrepresentable: 'any' }) as Record<string, unknown>, '');
    expect(undocumented).toEqual([]);
  });

  it('rejects a base score above the maximum', () => {
    expect(problems(withRules({ baseScore: 101 }))).toEqual([{ path: 'baseScore', message: expect.stringContaining('基础分不能高于满分') }]);
  });
  it('rejects bands that are not in descending order', () => {
    const bands = [
      { label: '称职', minScore: 70 },
      { label: '优秀', minScore: 90 },
      { label: '不称职', minScore: 0 },
    ];
    expect(problems(withRules({ bands }))).toEqual([{ path: 'bands.1.minScore', message: expect.stringContaining('从高到低') }]);
  });
  it('rejects two bands with the same lower bound', () => {
    const bands = [
      { label: '优秀', minScore: 90 },
      { label: '称职', minScore: 90 },
      { label: '不称职', minScore: 0 },
    ];
    expect(paths(withRules({ bands }))).toEqual(['bands.1.minScore']);
  });
  it('rejects bands whose last does not start at 0', () => {
    const bands = [
      { label: '优秀', minScore: 90 },
      { label: '称职', minScore: 60 },
    ];
    expect(problems(withRules({ bands }))).toEqual([{ path: 'bands.1.minScore', message: expect.stringContaining('最低分须为 0') }]);
  });
  it('rejects a best band above the maximum score', () => {
    expect(paths(withRules({ maxScore: 80 }))).toEqual(['bands.0.minScore']);
  });
  it('rejects no bands at all, and band labels used twice', () => {
    expect(paths(withRules({ bands: [] }))).toEqual(['bands']);
    expect(
      paths(
        withRules({
          bands: [
            { label: '称职', minScore: 60 },
            { label: '称职', minScore: 0 },
          ],
        }),
      ),
    ).toEqual(['bands']);
  });
  it('rejects duplicate core duty ids', () => {
    const duty = SCORING_RULES_2021.coreDuties[0]!;
    expect(problems(withRules({ coreDuties: [duty, { ...duty, label: '再进站' }] }))).toEqual([
      { path: 'coreDuties.1.id', message: expect.stringContaining('monthly-station-visit') },
    ]);
  });
  it('rejects a core duty id that is not a slug, and a minimum below one', () => {
    const duty = SCORING_RULES_2021.coreDuties[0]!;
    expect(paths(withRules({ coreDuties: [{ ...duty, id: '月进站' }] }))).toEqual(['coreDuties.0.id']);
    expect(paths(withRules({ coreDuties: [{ ...duty, minimum: 0 }] }))).toEqual(['coreDuties.0.minimum']);
  });
  it('rejects an act scored twice, in points or across points and deductions', () => {
    const suggestion = { act: 'suggestion' as const, points: 3, capPerPeriod: null };
    expect(paths(withRules({ points: [suggestion, suggestion] }))).toEqual(['points.1.act']);
    expect(paths(withRules({ points: [suggestion], deductions: [{ act: 'suggestion', points: -1, note: '重复' }] }))).toEqual(['deductions.0.act']);
  });
  it('rejects non-positive points and non-negative deductions', () => {
    expect(paths(withRules({ points: [{ act: 'training', points: -1, capPerPeriod: null }] }))).toEqual(['points.0.points']);
    expect(paths(withRules({ deductions: [{ act: 'absence-without-leave', points: 1, note: '无故缺席' }] }))).toEqual(['deductions.0.points']);
  });
  it('rejects a cap below one act’s points', () => {
    expect(problems(withRules({ points: [{ act: 'motion', points: 5, capPerPeriod: 4 }] }))).toEqual([
      { path: 'points.0.capPerPeriod', message: expect.stringContaining('年度上限不能低于单次分值') },
    ]);
  });
  it('rejects unknown acts, frequencies, periods, normalisations and mandate kinds', () => {
    const duty = SCORING_RULES_2021.coreDuties[0]!;
    expect(paths({ ...SCORING_RULES_2021, points: [{ act: 'sleeping', points: 1, capPerPeriod: null }] })).toEqual(['points.0.act']);
    expect(paths({ ...SCORING_RULES_2021, coreDuties: [{ ...duty, frequency: 'weekly' }] })).toEqual(['coreDuties.0.frequency']);
    expect(paths({ ...SCORING_RULES_2021, period: 'quarter' })).toEqual(['period']);
    expect(paths({ ...SCORING_RULES_2021, normalisation: 'none' })).toEqual(['normalisation']);
    expect(paths({ ...SCORING_RULES_2021, appliesTo: ['voter'] })).toEqual(['appliesTo.0']);
  });
  it('rejects an empty or repeated list of scored mandate kinds', () => {
    expect(paths(withRules({ appliesTo: [] }))).toEqual(['appliesTo']);
    expect(paths(withRules({ appliesTo: ['deputy', 'deputy'] }))).toEqual(['appliesTo']);
  });
});
