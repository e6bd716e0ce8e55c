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

export const ACT_KIND_LABELS: Record<ActKind, string> = {
  training: '培训',
  inspection: '视察',
  research: '调研',
  'law-enforcement-inspection': '执法检查',
  'special-inquiry': '专题询问',
  'report-deliberation': '报告审议',
  'committee-meeting-attendance': '列席常委会会议',
  'consultation-recommendation': '推荐参加意见征求会',
  'absence-with-leave': '请假缺席',
  'absence-without-leave': '无故缺席',
  'pairing-activity': '结队帮带活动',
  'station-visit': '进站履职',
  'home-visit': '回家（回选区）履职',
  'voter-reception': '接待选民',
  suggestion: '提出建议',
  motion: '提出议案',
  'duty-report': '向选民述职',
  'policy-publicity': '政策宣传',
  'legal-advice': '法律咨询',
  'dispute-mediation': '矛盾调解',
};

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
