/**
 * Quantitative evaluation rules (量化评价 / 积分制), as data carried by a version of a regulation of
 * category `scoring` (e.g. 《代表履职监督量化评价暂行办法》). Projections compute a person's score for
 * a period from the rules in force (see `rulesInForce`) and the records that count:
 *
 *   score = baseScore
 *         + Σ points per act (each act kind capped at `capPerPeriod`)
 *         + Σ deductions per act (negative)
 *         − Σ penaltyPerMiss for each period in which a core or extra duty fell short of its minimum
 *   clamped to [0, maxScore], then placed in the first band whose `minScore` it reaches.
 *
 * Acts are named by `act` kind (src/kernel/acts.ts), never by event type. A person whose mandate
 * covered only part of the period is scored pro rata (see `normalisation`). Changing this schema
 * changes what regulation events may carry: relaxing it is safe, tightening it needs an upcaster.
 */
import { z } from 'zod';
import { ACT_KINDS } from '../kernel/acts.ts';
import { MANDATE_KINDS } from '../mandate/events.ts';

export const DUTY_FREQUENCIES = ['monthly', 'quarterly', 'yearly'] as const;
export type DutyFrequency = (typeof DUTY_FREQUENCIES)[number];
export const DUTY_FREQUENCY_LABELS: Record<DutyFrequency, string> = { monthly: '每月', quarterly: '每季度', yearly: '每年' };
/** How many periods of each frequency a scoring period (a year) holds. */
export const PERIODS_PER_YEAR: Record<DutyFrequency, number> = { monthly: 12, quarterly: 4, yearly: 1 };

const act = z.enum(ACT_KINDS);
const score = z.number().min(0).max(1000);

export const pointsRuleSchema = z
  .object({
    act: act.describe('the act kind that earns points, e.g. `suggestion`'),
    points: z.number().positive().max(100).describe('points each counting record of this act earns, e.g. 3'),
    capPerPeriod: z
      .number()
      .positive()
      .nullable()
      .describe('the most points this act can earn in one period (scaled pro rata for a partial mandate); null for no cap'),
  })
  .describe('points earned per act (加分项)');

export const deductionRuleSchema = z
  .object({
    act: act.describe('the act kind that costs points, e.g. `absence-without-leave`'),
    points: z.number().negative().min(-100).describe('points each counting record of this act adds, negative, e.g. -1'),
    note: z.string().trim().min(1).max(200).describe('how the deduction reads in the rules, e.g. 无故缺席会议一次扣1分'),
  })
  .describe('points lost per act (扣分项)');

export const coreDutySchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and hyphens, e.g. monthly-station-visit')
      .max(60)
      .describe('a stable identifier of the duty within the rules, kept across versions, e.g. `monthly-station-visit`'),
    label: z.string().trim().min(1).max(60).describe('the duty’s name as the rules print it, in Chinese, e.g. 月进站'),
    act: act.describe('the act kind whose counting records fulfil the duty, e.g. `station-visit`'),
    frequency: z.enum(DUTY_FREQUENCIES).describe('the period the minimum applies to: monthly 每月, quarterly 每季度, yearly 每年'),
    minimum: z.number().int().min(1).max(100).describe('how many counting records of the act each such period needs, e.g. 1'),
    core: z.boolean().describe('true for one of the fixed core duties (the "8" of "8+X"); false for a locally chosen extra (an "X")'),
    penaltyPerMiss: z.number().min(0).max(100).describe('points subtracted for each period in which the minimum was not met (a positive number, e.g. 1)'),
  })
  .describe('a duty every scored person must perform at a set frequency ("8+X" 履职清单)');

export const bandSchema = z
  .object({
    label: z.string().trim().min(1).max(20).describe('the band’s name, e.g. 优秀, 称职, 基本称职, 不称职'),
    minScore: score.describe('the lowest score in the band'),
  })
  .describe('a rating band (等次); published instead of exact ranks');

export const scoringRulesSchema = z
  .object({
    baseScore: score.describe('the score everyone starts each period with (基础分), e.g. 60'),
    maxScore: score.describe('the highest score a period can reach; totals are clamped to it, e.g. 100'),
    period: z.literal('year').describe('the scoring period: a calendar year (scores may be published each quarter as 亮分)'),
    points: z.array(pointsRuleSchema).describe('points per act (加分项); an act kind appears at most once across points and deductions'),
    deductions: z.array(deductionRuleSchema).describe('deductions per act (扣分项), e.g. unexcused absence'),
    coreDuties: z
      .array(coreDutySchema)
      .describe('the "8+X" duties: the fixed core duties (core: true) and local extras (core: false), each with its frequency and penalty'),
    bands: z.array(bandSchema).min(1).describe('rating bands from best to worst, by strictly decreasing minScore; the last starts at 0'),
    normalisation: z
      .literal('pro-rata')
      .describe(
        'how partial mandates are treated: a person who held a scored mandate for only part of the period (elected mid-term 补选, ' +
          'or whose mandate ended) has each cap and each duty’s number of required periods scaled by the fraction of the period ' +
          'they held it; only periods (months, quarters) they held the mandate for at least in part are checked for duties',
      ),
    appliesTo: z
      .array(z.enum(MANDATE_KINDS))
      .min(1)
      .describe('the mandate kinds scored by these rules, usually [deputy]; acts done in other mandates do not count here'),
  })
  .superRefine((rules, context) => {
    const issue = (message: string, path: (string | number)[]) => context.addIssue({ code: 'custom', message, path });
    if (rules.baseScore > rules.maxScore) issue('baseScore must not exceed maxScore / 基础分不能高于满分', ['baseScore']);

    const seenActs = new Set<string>();
    const checkAct = (kind: string, path: (string | number)[]) => {
      if (seenActs.has(kind)) issue(`act ${kind} appears more than once in points and deductions / 同一履职事项只能计分一次`, path);
      seenActs.add(kind);
    };
    rules.points.forEach((rule, index) => {
      checkAct(rule.act, ['points', index, 'act']);
      if (rule.capPerPeriod !== null && rule.capPerPeriod < rule.points) {
        issue('capPerPeriod must be at least the points of one act / 年度上限不能低于单次分值', ['points', index, 'capPerPeriod']);
      }
    });
    rules.deductions.forEach((rule, index) => checkAct(rule.act, ['deductions', index, 'act']));

    const dutyIds = new Set<string>();
    rules.coreDuties.forEach((duty, index) => {
      if (dutyIds.has(duty.id)) issue(`duplicate core duty id ${duty.id} / 履职清单编号重复`, ['coreDuties', index, 'id']);
      dutyIds.add(duty.id);
    });

    rules.bands.forEach((band, index) => {
      const previous = rules.bands[index - 1];
      if (previous && band.minScore >= previous.minScore) {
        issue('bands must be ordered by strictly decreasing minScore / 等次须按最低分从高到低排列', ['bands', index, 'minScore']);
      }
    });
    if (rules.bands.length > 0 && rules.bands.at(-1)!.minScore !== 0) {
      issue('the last band must start at 0 / 最后一个等次的最低分须为 0', ['bands', rules.bands.length - 1, 'minScore']);
    }
    if ((rules.bands[0]?.minScore ?? 0) > rules.maxScore)
      issue('the best band must be reachable: minScore above maxScore / 最高等次的分数线高于满分', ['bands', 0, 'minScore']);
    if (new Set(rules.bands.map((band) => band.label)).size !== rules.bands.length) issue('band labels must be distinct / 等次名称重复', ['bands']);
    if (new Set(rules.appliesTo).size !== rules.appliesTo.length) issue('appliesTo lists a mandate kind twice / 适用对象重复', ['appliesTo']);
  })
  .describe('quantitative evaluation rules (量化评价办法) carried by a scoring regulation’s version');

export type ScoringRules = z.infer<typeof scoringRulesSchema>;
export type PointsRule = z.infer<typeof pointsRuleSchema>;
export type DeductionRule = z.infer<typeof deductionRuleSchema>;
export type CoreDuty = z.infer<typeof coreDutySchema>;
export type ScoreBand = z.infer<typeof bandSchema>;
