/**
 * Two versions of the county's quantitative evaluation rules, used by tests and the demo county.
 * 2021: 《代表履职监督量化评价暂行办法》 (interim measures) with the eight core duties.
 * 2024: the amended measures: suggestions and training weigh more, unexcused absence costs more,
 * the 称职 band is raised, and pairing (结队帮带) is added as a local extra duty (the "X" of "8+X").
 */
import type { CoreDuty, ScoringRules } from './scoring.ts';

const CORE_DUTIES_2021: CoreDuty[] = [
  { id: 'monthly-station-visit', label: '月进站', act: 'station-visit', frequency: 'monthly', minimum: 1, core: true, penaltyPerMiss: 1 },
  { id: 'quarterly-home-visit', label: '季回家', act: 'home-visit', frequency: 'quarterly', minimum: 1, core: true, penaltyPerMiss: 2 },
  { id: 'yearly-duty-report', label: '年述职', act: 'duty-report', frequency: 'yearly', minimum: 1, core: true, penaltyPerMiss: 5 },
  { id: 'quarterly-voter-reception', label: '接待选民', act: 'voter-reception', frequency: 'quarterly', minimum: 1, core: true, penaltyPerMiss: 1 },
  { id: 'yearly-suggestion', label: '提出建议', act: 'suggestion', frequency: 'yearly', minimum: 1, core: true, penaltyPerMiss: 3 },
  { id: 'yearly-training', label: '参加学习培训', act: 'training', frequency: 'yearly', minimum: 1, core: true, penaltyPerMiss: 2 },
  { id: 'yearly-inspection', label: '参加视察', act: 'inspection', frequency: 'yearly', minimum: 1, core: true, penaltyPerMiss: 2 },
  { id: 'yearly-practical-help', label: '为群众办实事', act: 'policy-publicity', frequency: 'yearly', minimum: 2, core: true, penaltyPerMiss: 1 },
];

export const SCORING_RULES_2021: ScoringRules = {
  baseScore: 60,
  maxScore: 100,
  period: 'year',
  points: [
    { act: 'suggestion', points: 3, capPerPeriod: 15 },
    { act: 'motion', points: 5, capPerPeriod: 10 },
    { act: 'inspection', points: 2, capPerPeriod: 10 },
    { act: 'research', points: 2, capPerPeriod: 10 },
    { act: 'law-enforcement-inspection', points: 2, capPerPeriod: 8 },
    { act: 'special-inquiry', points: 2, capPerPeriod: 6 },
    { act: 'report-deliberation', points: 1, capPerPeriod: 5 },
    { act: 'committee-meeting-attendance', points: 2, capPerPeriod: 6 },
    { act: 'consultation-recommendation', points: 2, capPerPeriod: 4 },
    { act: 'training', points: 1, capPerPeriod: 5 },
    { act: 'pairing-activity', points: 1, capPerPeriod: 4 },
    { act: 'station-visit', points: 0.5, capPerPeriod: 6 },
    { act: 'home-visit', points: 1, capPerPeriod: 4 },
    { act: 'voter-reception', points: 1, capPerPeriod: 6 },
    { act: 'duty-report', points: 3, capPerPeriod: 3 },
    { act: 'policy-publicity', points: 1, capPerPeriod: 5 },
    { act: 'legal-advice', points: 1, capPerPeriod: 5 },
    { act: 'dispute-mediation', points: 2, capPerPeriod: 6 },
  ],
  deductions: [
    { act: 'absence-without-leave', points: -1, note: '无故缺席会议或活动一次扣1分' },
    { act: 'absence-with-leave', points: -0.5, note: '请假缺席会议或活动一次扣0.5分' },
  ],
  coreDuties: CORE_DUTIES_2021,
  bands: [
    { label: '优秀', minScore: 90 },
    { label: '称职', minScore: 70 },
    { label: '基本称职', minScore: 60 },
    { label: '不称职', minScore: 0 },
  ],
  normalisation: 'pro-rata',
  appliesTo: ['deputy'],
};

const weigh = (rules: ScoringRules, changes: Partial<Record<ScoringRules['points'][number]['act'], { points: number; capPerPeriod: number | null }>>) =>
  rules.points.map((rule) => ({ ...rule, ...changes[rule.act] }));

export const SCORING_RULES_2024: ScoringRules = {
  ...SCORING_RULES_2021,
  points: weigh(SCORING_RULES_2021, {
    suggestion: { points: 4, capPerPeriod: 20 },
    training: { points: 2, capPerPeriod: 6 },
  }),
  deductions: [
    { act: 'absence-without-leave', points: -2, note: '无故缺席会议或活动一次扣2分' },
    { act: 'absence-with-leave', points: -0.5, note: '请假缺席会议或活动一次扣0.5分' },
  ],
  coreDuties: [
    ...CORE_DUTIES_2021,
    { id: 'quarterly-pairing', label: '结队帮带', act: 'pairing-activity', frequency: 'quarterly', minimum: 1, core: false, penaltyPerMiss: 1 },
  ],
  bands: [
    { label: '优秀', minScore: 90 },
    { label: '称职', minScore: 75 },
    { label: '基本称职', minScore: 60 },
    { label: '不称职', minScore: 0 },
  ],
};
