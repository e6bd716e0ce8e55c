/**
 * What a refused input says to a user, in whole Chinese (and English): the field named in words
 * (日期, 选民电话, never `voter.phone`), then what is wrong with it and, where there is one, the range
 * allowed. Nothing of the validator's own wording ("Invalid ISO date", "Too small: expected …")
 * reaches a Chinese message; the English keeps the field's path for developers.
 */
import type { z } from 'zod';

/** The words for an input field, by its name (the last part of its path). */
export const FIELD_LABELS: Record<string, string> = {
  date: '日期',
  title: '名称',
  name: '姓名',
  phone: '电话',
  address: '地址',
  summary: '内容',
  description: '内容',
  content: '内容',
  place: '地点',
  visited: '走访对象',
  reason: '理由',
  note: '备注',
  category: '类别',
  agency: '承办单位',
  answer: '答复内容',
  organiser: '组织单位',
  township: '乡镇（街道）',
  district: '选区',
  deadline: '办理期限',
  registeredOn: '登记日期',
  referredOn: '交办日期',
  answeredOn: '答复日期',
  closedOn: '办结或关闭日期',
  reopenedOn: '重新办理日期',
  assignedOn: '交办或分配日期',
  submittedOn: '提出日期',
  draftedOn: '起草日期',
  ratedOn: '评议日期',
  withdrawnOn: '撤回日期',
  startsOn: '开始日期',
  endsOn: '结束日期',
  plannedEndOn: '计划届满日期',
  establishedOn: '成立日期',
  upgradedOn: '提升改造日期',
  unassignedOn: '调出日期',
  effectiveFrom: '生效日期',
  repealedOn: '废止日期',
  acknowledgedOn: '确认日期',
  reassignedOn: '移交日期',
  handedOverOn: '移交日期',
  carriedOverOn: '延续日期',
  continuedOn: '延续日期',
  endedOn: '结束日期',
  year: '年度',
  votersReceived: '接待选民人数',
  audienceSize: '参加选民人数',
  beneficiaries: '受益群众人数',
  amountYuan: '金额（元）',
  items: '项目',
  topics: '议题',
  forms: '监督形式',
  kind: '类别',
  act: '类别',
  outcome: '办理结果',
  rating: '评价',
  satisfaction: '满意度',
  votersRating: '评议结果',
  votes: '票数',
  competent: '称职票数',
  basicallyCompetent: '基本称职票数',
  incompetent: '不称职票数',
  number: '届次',
  personId: '人员',
  mandateId: '任职',
  stationId: '家站',
  activityId: '活动',
  trainingId: '培训',
  opinionId: '意见',
  suggestionId: '建议',
  pairingId: '结对',
  receptionId: '接待',
  recordId: '记录',
  streamId: '记录',
  termId: '届次',
  commandId: '提交',
  occurredAt: '发生时间',
  participants: '参加人员',
  absentees: '缺席人员',
  attendees: '参加人员',
  deputies: '代表',
  coSigners: '附议代表',
  mentees: '被帮带代表',
  menteePersonIds: '被帮带代表',
  corrected: '更正内容',
  voter: '选民',
  trainingType: '培训类别',
  gender: '性别',
  level: '层级',
  type: '类型',
};

/** `voter.phone` → 选民电话; `participants.3.personId` → 参加人员（第 4 项）的人员. */
export function fieldWords(path: string): string {
  const parts = path.split('.').filter(Boolean);
  if (parts.length === 0 || path === 'input') return '输入';
  const words: string[] = [];
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    if (/^\d+$/.test(part)) {
      words.push(`（第 ${Number(part) + 1} 项）`);
      continue;
    }
    const label = FIELD_LABELS[part] ?? '输入';
    const previous = parts[index - 1];
    if (previous === 'voter' && (part === 'name' || part === 'phone' || part === 'address')) {
      words[words.length - 1] = `选民${label}`;
      continue;
    }
    words.push(words.length > 0 ? `的${label}` : label);
  }
  return words.join('');
}

/** A zod issue's problem in Chinese (without the field). */
export function issueZh(issue: z.core.$ZodIssue): string {
  const custom = (issue as { params?: { zh?: unknown } }).params?.zh;
  if (typeof custom === 'string') return custom;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === null ? '必须填写' : '格式不正确';
    case 'too_small': {
      const minimum = Number(issue.minimum);
      if (issue.origin === 'string') return minimum <= 1 ? '不能为空' : `至少 ${minimum} 个字符`;
      if (issue.origin === 'array' || issue.origin === 'set') return `至少 ${minimum} 项`;
      return `不能小于 ${minimum}`;
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin === 'string') return `不能超过 ${maximum} 个字符`;
      if (issue.origin === 'array' || issue.origin === 'set') return `最多 ${maximum} 项`;
      return `不能大于 ${maximum}`;
    }
    case 'invalid_format':
      if (issue.format === 'date') return '不是有效的日期（年-月-日，如 2026-12-04）';
      if (issue.format === 'datetime') return '不是有效的时间';
      if (issue.format === 'uuid' || issue.format === 'guid') return '无法识别所选的对象，请重新选择';
      if (issue.format === 'regex' && /stored/.test(issue.message)) return '含有无法保存的字符';
      return '格式不正确';
    case 'invalid_value':
      return '不是可选的值';
    case 'unrecognized_keys':
      return '含有无法识别的项目';
    case 'not_multiple_of':
      return '必须是整数';
    default:
      return '格式不正确';
  }
}

/** An English problem given as text (the API's own checks), in Chinese. */
export function messageZh(message: string): string {
  if (/uuid/i.test(message)) return '无法识别所选的对象，请重新选择';
  if (/date/i.test(message)) return '不是有效的日期（年-月-日，如 2026-12-04）';
  if (/stored|NUL|surrogate/i.test(message)) return '含有无法保存的字符';
  if (/JSON/i.test(message)) return '内容格式不正确';
  if (/required|missing/i.test(message)) return '必须填写';
  return '格式不正确';
}
