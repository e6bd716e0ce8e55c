/**
 * The vocabulary of countable acts. Every event that creates a record of an act carries the
 * common fields below; scoring rules (src/regulation) and statistics refer to acts by `act`
 * kind, never by event type, so an area can change its events without touching the rules.
 */
import { z } from 'zod';

export const ACT_KINDS = [
  // 培训
  'training',
  // 监督: 视察, 调研, 执法检查, 专题询问, 报告审议
  'inspection',
  'research',
  'law-enforcement-inspection',
  'special-inquiry',
  'report-deliberation',
  // 列席常委会会议; 推荐参加县委、县政府意见征求会
  'committee-meeting-attendance',
  'consultation-recommendation',
  // 缺席 (deductions)
  'absence-with-leave',
  'absence-without-leave',
  // 结队帮带
  'pairing-activity',
  // 月进站、季回家、接待选民
  'station-visit',
  'home-visit',
  'voter-reception',
  // 议案、建议
  'suggestion',
  'motion',
  // 年述职
  'duty-report',
  // 我为群众办实事
  'policy-publicity',
  'legal-advice',
  'dispute-mediation',
] as const;
export type ActKind = (typeof ACT_KINDS)[number];

/** Words in both languages: Chinese is what the county reads, English the second language. */
export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * The county figures (the domain page's headlines) that count act records. Each act kind says which
 * one it counts toward, or `none`: statistics sum a headline over exactly the kinds that name it.
 */
export const HEADLINES = ['training', 'supervision', 'committee-meeting-attendance', 'consultation-recommendation'] as const;
export type Headline = (typeof HEADLINES)[number];

export const HEADLINE_LABELS = {
  training: { zh: '培训人次', en: 'Training person-times' },
  supervision: { zh: '代表参加调研、视察、执法检查', en: 'Deputies in research, inspection and law-enforcement checks' },
  'committee-meeting-attendance': { zh: '列席常委会会议代表', en: 'Deputies attending committee meetings' },
  'consultation-recommendation': { zh: '推荐参加意见征求会', en: 'Recommended to consultation meetings' },
} as const satisfies Record<Headline, Bilingual>;

/** What the vocabulary says of one act kind: its name in both languages and the headline it counts toward. */
export interface ActKindEntry extends Bilingual {
  headline: Headline | 'none';
}

/**
 * The one place an act kind is described. Adding a kind to ACT_KINDS without an entry here does not
 * compile; its labels reach the API (ACT_KIND_LABELS), the seed and statistics by import, and the web
 * through the generated `web/src/lib/vocabulary.generated.ts` (`npm run vocabulary -w @yingpan/domain`).
 */
export const ACT_VOCABULARY = {
  training: { zh: '培训', en: 'Training', headline: 'training' },
  inspection: { zh: '视察', en: 'Inspection visit', headline: 'supervision' },
  research: { zh: '调研', en: 'Research visit', headline: 'supervision' },
  'law-enforcement-inspection': { zh: '执法检查', en: 'Law-enforcement inspection', headline: 'supervision' },
  'special-inquiry': { zh: '专题询问', en: 'Special inquiry', headline: 'none' },
  'report-deliberation': { zh: '报告审议', en: 'Report deliberation', headline: 'none' },
  'committee-meeting-attendance': { zh: '列席常委会会议', en: 'Attending committee meetings', headline: 'committee-meeting-attendance' },
  'consultation-recommendation': { zh: '推荐参加意见征求会', en: 'Recommended to consultations', headline: 'consultation-recommendation' },
  'absence-with-leave': { zh: '请假缺席', en: 'Absence with leave', headline: 'none' },
  'absence-without-leave': { zh: '无故缺席', en: 'Absence without leave', headline: 'none' },
  'pairing-activity': { zh: '结队帮带活动', en: 'Pairing activity', headline: 'none' },
  'station-visit': { zh: '进站履职', en: 'Station visit', headline: 'none' },
  'home-visit': { zh: '回家（回选区）履职', en: 'Home visit', headline: 'none' },
  'voter-reception': { zh: '接待选民', en: 'Voter reception', headline: 'none' },
  suggestion: { zh: '提出建议', en: 'Suggestion', headline: 'none' },
  motion: { zh: '提出议案', en: 'Motion', headline: 'none' },
  'duty-report': { zh: '向选民述职', en: 'Duty report to voters', headline: 'none' },
  'policy-publicity': { zh: '政策宣传', en: 'Policy publicity', headline: 'none' },
  'legal-advice': { zh: '法律咨询', en: 'Legal advice', headline: 'none' },
  'dispute-mediation': { zh: '矛盾调解', en: 'Dispute mediation', headline: 'none' },
} as const satisfies Record<ActKind, ActKindEntry>;

/** Each act kind's Chinese name. */
export const ACT_KIND_LABELS = Object.fromEntries(ACT_KINDS.map((act) => [act, ACT_VOCABULARY[act].zh])) as Record<ActKind, string>;

/** The act kinds a headline counts, in ACT_KINDS order. */
export const actsCountedIn = (headline: Headline): ActKind[] => ACT_KINDS.filter((act) => ACT_VOCABULARY[act].headline === headline);

/**
 * Fields every act-record event carries (spread into its zod object). `declared` is true when the
 * deputy recorded it personally (申报, awaiting review) and false when staff recorded it (approved).
 */
export const actRecordFields = {
  recordId: z.uuid().describe('this record; review and correction events point at it'),
  act: z.enum(ACT_KINDS).describe('which kind of act this is, as scoring rules and statistics name it'),
  personId: z.uuid().describe('who performed the act'),
  mandateId: z.uuid().describe('the seat or post the person acted in; valid on `date`'),
  date: z.iso.date().describe('the day the act happened'),
  declared: z.boolean().describe('declared by the deputy (awaits review) rather than recorded by staff'),
};
