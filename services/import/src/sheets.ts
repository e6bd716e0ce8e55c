/**
 * The import templates' sheets and columns: Chinese headers as the office writes them, which are
 * required, and the drop-down lists. The roster (花名册) and the history (履职台账) are two
 * templates; a file may hold the sheets of either or both.
 */
import type { Level, MandateKind } from '@yingpan/domain';

export type ColumnType = 'text' | 'date' | 'year' | 'yes-no' | 'list' | 'number' | 'names';

export interface Column {
  key: string;
  header: string;
  required?: boolean;
  type: ColumnType;
  /** For `list`: the choices shown in the drop-down (a fixed list, or one filled from the county: `townships`, `terms`, `stations`). */
  choices?: readonly string[] | 'townships' | 'terms' | 'stations';
  /** A line for the 填写说明 sheet. */
  note: string;
  width?: number;
}

export interface SheetSpec {
  name: string;
  template: 'roster' | 'history';
  /** What one row is, for the 填写说明 sheet. */
  about: string;
  columns: readonly Column[];
  /** Columns whose values together make a row's identity: a second row with the same values is a duplicate. */
  identity: readonly string[];
}

export const TEAM_LABELS: Record<MandateKind, string> = {
  deputy: '人大代表',
  'committee-member': '常委会组成人员',
  'special-committee-member': '专门委员会委员',
  'office-staff': '机关工作人员',
  'township-chair': '乡镇人大主席',
};

export const LEVEL_LABELS: Record<Level, string> = {
  national: '全国',
  provincial: '省',
  municipal: '市',
  county: '县',
  township: '乡镇',
};

export const STATION_TYPE_LABELS = { 'deputy-home': '代表之家', 'liaison-station': '代表联络站' } as const;

export const TRAINING_TYPE_LABELS = {
  'annual-study-plan': '年度学习计划',
  'expert-lecture': '专家讲座',
  'station-study': '进站学习',
  'induction-class': '新任培训班',
  'committee-member-training': '常委会组成人员培训',
} as const;

export const ACTIVITY_KIND_LABELS = {
  inspection: '视察',
  research: '调研',
  'law-enforcement-inspection': '执法检查',
  'special-inquiry': '专题询问',
  'report-deliberation': '报告审议',
  'committee-meeting': '列席常委会会议',
  'consultation-meeting': '意见征求会',
} as const;

export const VISIT_KIND_LABELS = { station: '进站履职', home: '回家履职' } as const;

const labels = (record: Record<string, string>) => Object.values(record);

export const SHEETS: readonly SheetSpec[] = [
  {
    name: '届次',
    template: 'roster',
    about: '每行一届：第几届、开始日期、计划结束日期。已在系统中设置的届次可不填。',
    identity: ['number'],
    columns: [
      { key: 'number', header: '届次', required: true, type: 'number', note: '第几届，写数字，如 18', width: 10 },
      { key: 'startsOn', header: '开始日期', required: true, type: 'date', note: '如 2021-12-28', width: 14 },
      { key: 'plannedEndOn', header: '计划结束日期', required: true, type: 'date', note: '如 2026-12-27', width: 14 },
    ],
  },
  {
    name: '人员任职',
    template: 'roster',
    about: '每行是一个人在一届中的一项任职。同一人在几届任职就写几行，姓名、性别、出生年份写得一样：这三项一起区分同名的人。',
    identity: ['name', 'gender', 'birthYear', 'term', 'team', 'level'],
    columns: [
      { key: 'name', header: '姓名', required: true, type: 'text', note: '2–4 个汉字', width: 10 },
      { key: 'gender', header: '性别', required: true, type: 'list', choices: ['男', '女'], note: '男 或 女', width: 8 },
      { key: 'birthYear', header: '出生年份', required: true, type: 'year', note: '四位数字，如 1975；用来区分同名的人', width: 10 },
      { key: 'publicServant', header: '是否公职人员', required: true, type: 'yes-no', note: '是 或 否（结对帮带按此区分）', width: 12 },
      {
        key: 'term',
        header: '届次',
        required: true,
        type: 'list',
        choices: 'terms',
        note: '第几届，如 18（须是已设置的届次或本文件「届次」表中的届次）',
        width: 8,
      },
      { key: 'team', header: '队伍', required: true, type: 'list', choices: labels(TEAM_LABELS), note: labels(TEAM_LABELS).join('、'), width: 16 },
      { key: 'level', header: '代表层级', type: 'list', choices: labels(LEVEL_LABELS), note: '人大代表必填：全国、省、市、县、乡镇', width: 10 },
      { key: 'district', header: '选区', type: 'text', note: '人大代表的选区，可不填', width: 14 },
      { key: 'township', header: '乡镇（街道）', type: 'list', choices: 'townships', note: '所在乡镇或街道；乡镇人大主席必填', width: 14 },
      { key: 'portfolio', header: '职务或分工', type: 'text', note: '如 副主任、代表工委', width: 14 },
      { key: 'startsOn', header: '任职日期', required: true, type: 'date', note: '如 2021-12-28；须在该届之内', width: 14 },
    ],
  },
  {
    name: '联络站',
    template: 'roster',
    about: '每行一个代表之家或代表联络站，以及站长和进站代表（代表须在「人员任职」表或系统中）。',
    identity: ['township', 'name'],
    columns: [
      { key: 'name', header: '站点名称', required: true, type: 'text', note: '如 城关镇代表联络站', width: 20 },
      { key: 'type', header: '类型', required: true, type: 'list', choices: labels(STATION_TYPE_LABELS), note: '代表之家 或 代表联络站', width: 12 },
      { key: 'township', header: '乡镇（街道）', required: true, type: 'list', choices: 'townships', note: '站点所在乡镇或街道', width: 14 },
      { key: 'address', header: '地址', required: true, type: 'text', note: '', width: 24 },
      { key: 'establishedOn', header: '建站日期', required: true, type: 'date', note: '如 2019-06-01', width: 14 },
      {
        key: 'manager',
        header: '站长',
        type: 'text',
        note: '乡镇人大主席或机关工作人员的姓名；有同名时写成 张三（1975）',
        width: 14,
      },
      {
        key: 'deputies',
        header: '进站代表',
        type: 'names',
        note: '姓名用顿号分开，如 张三、李四（1980）',
        width: 40,
      },
    ],
  },
  {
    name: '培训',
    template: 'history',
    about: '每行一次培训及其签到名单（参加人员）：每人一人次。',
    identity: ['title', 'date'],
    columns: [
      { key: 'title', header: '培训名称', required: true, type: 'text', note: '', width: 28 },
      {
        key: 'trainingType',
        header: '培训类别',
        required: true,
        type: 'list',
        choices: labels(TRAINING_TYPE_LABELS),
        note: labels(TRAINING_TYPE_LABELS).join('、'),
        width: 16,
      },
      { key: 'date', header: '日期', required: true, type: 'date', note: '如 2024-03-15', width: 14 },
      { key: 'attendees', header: '参加人员', required: true, type: 'names', note: '签到表上的姓名，用顿号分开；有同名时写成 张三（1975）', width: 48 },
    ],
  },
  {
    name: '活动',
    template: 'history',
    about: '每行一次视察、调研、执法检查、专题询问、报告审议、列席常委会会议或意见征求会，以及参加的人员。',
    identity: ['title', 'date', 'kind'],
    columns: [
      { key: 'title', header: '活动名称', required: true, type: 'text', note: '', width: 28 },
      {
        key: 'kind',
        header: '活动类别',
        required: true,
        type: 'list',
        choices: labels(ACTIVITY_KIND_LABELS),
        note: labels(ACTIVITY_KIND_LABELS).join('、'),
        width: 16,
      },
      { key: 'date', header: '日期', required: true, type: 'date', note: '如 2024-05-20', width: 14 },
      { key: 'organiser', header: '组织单位', required: true, type: 'text', note: '如 县人大常委会办公室', width: 20 },
      { key: 'township', header: '乡镇（街道）', type: 'list', choices: 'townships', note: '活动所在乡镇，可不填', width: 14 },
      { key: 'participants', header: '参加人员', required: true, type: 'names', note: '姓名用顿号分开；有同名时写成 张三（1975）', width: 48 },
    ],
  },
  {
    name: '进站回家',
    template: 'history',
    about: '每行一位代表的一次进站履职（月进站）或回家履职（季回家）。',
    identity: ['kind', 'person', 'date', 'station'],
    columns: [
      { key: 'kind', header: '类别', required: true, type: 'list', choices: labels(VISIT_KIND_LABELS), note: '进站履职 或 回家履职', width: 12 },
      { key: 'person', header: '代表姓名', required: true, type: 'text', note: '有同名时写成 张三（1975）', width: 14 },
      { key: 'date', header: '日期', required: true, type: 'date', note: '如 2024-04-08', width: 14 },
      { key: 'station', header: '联络站', type: 'list', choices: 'stations', note: '进站履职必填：站点名称', width: 20 },
      { key: 'place', header: '地点', type: 'text', note: '回家履职必填：如 某村村委会', width: 18 },
      { key: 'visited', header: '走访对象', type: 'text', note: '回家履职必填：如 村民代表', width: 16 },
      { key: 'summary', header: '情况摘要', required: true, type: 'text', note: '做了什么', width: 36 },
    ],
  },
];

/** Sheets of the templates that carry instructions and lists, not data. */
export const HELP_SHEET = '填写说明';
export const LISTS_SHEET = '选项';

export const sheetSpec = (name: string): SheetSpec | undefined => SHEETS.find((sheet) => sheet.name === name);

/** A column's letter (1 = A). */
export function columnLetter(index: number): string {
  let letter = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) letter = String.fromCharCode(65 + ((n - 1) % 26)) + letter;
  return letter;
}
