/**
 * Realistic rows: a deputy attended (or missed) a training organised by the standing committee,
 * entered by a clerk of the liaison office. Each deputy's duty record is one stream,
 * `person:<deputy id>`, and every append names the exact version it expects, as a command
 * handler would.
 */
import { randomUUID } from 'node:crypto';
import type { AppendRequest, NewEvent } from '@yingpan/event-store';

export const EVENT_TYPE = 'TrainingAttendanceRecorded';

/** A county people's congress has about two hundred deputies. */
export const DEPUTIES = 200;

const TRAININGS = [
  { title: '县第十八届人民代表大会代表履职能力提升培训班', venue: '县人大常委会机关三楼会议室', hours: 6 },
  { title: '新修订《全国人民代表大会和地方各级人民代表大会代表法》专题学习会', venue: '县委党校报告厅', hours: 3 },
  { title: '预算审查监督和国有资产管理情况监督专题培训', venue: '县人大常委会机关二楼会议室', hours: 4 },
  { title: '乡镇人大主席团工作及代表联络站建设培训', venue: '城关镇人大代表联络站', hours: 3.5 },
];
const TOWNSHIPS = ['城关镇', '河口乡', '石门镇', '柳林镇', '青山乡', '白马镇'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄'];
const GIVEN_NAMES = ['建国', '秀英', '志强', '丽华', '海燕', '德明', '春梅', '永刚'];
const ATTENDANCE = ['present', 'present', 'present', 'late', 'excused'] as const;

interface Deputy {
  id: string;
  name: string;
  township: string;
}

export function newDeputies(count = DEPUTIES): Deputy[] {
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    name: SURNAMES[i % SURNAMES.length]! + GIVEN_NAMES[(i * 3) % GIVEN_NAMES.length]!,
    township: TOWNSHIPS[i % TOWNSHIPS.length]!,
  }));
}

const trainingIds = TRAININGS.map(() => randomUUID());
const clerk = { personId: randomUUID(), role: 'liaison-office-clerk' };

function attendanceEvent(deputy: Deputy, n: number): NewEvent {
  const t = n % TRAININGS.length;
  const training = TRAININGS[t]!;
  const attendance = ATTENDANCE[n % ATTENDANCE.length]!;
  const day = new Date(Date.UTC(2024, n % 12, 1 + (n % 28), 1, 30));
  return {
    id: randomUUID(),
    type: EVENT_TYPE,
    schemaVersion: 1,
    data: {
      trainingId: trainingIds[t],
      trainingTitle: training.title,
      venue: training.venue,
      deputyId: deputy.id,
      deputyName: deputy.name,
      township: deputy.township,
      attendance,
      hours: attendance === 'excused' ? 0 : training.hours,
      note: attendance === 'excused' ? '因参加乡镇防汛工作请假，已书面报备' : '全程参加并提交学习心得',
    },
    metadata: {
      recordedBy: clerk,
      // Paper sign-in sheets are entered some days after the training.
      occurredAt: day.toISOString(),
      correlationId: randomUUID(),
      causationId: null,
      commandId: randomUUID(),
    },
  };
}

/**
 * `appends` appends of `eventsPerAppend` events each, round-robin over the deputies' streams:
 * append i goes to deputy i mod D and expects that stream's version after the appends before it.
 */
export function attendancePlan(deputies: Deputy[], appends: number, eventsPerAppend: number): AppendRequest[] {
  return Array.from({ length: appends }, (_, i) => {
    const deputy = deputies[i % deputies.length]!;
    const version = Math.floor(i / deputies.length) * eventsPerAppend;
    return {
      streamId: `person:${deputy.id}`,
      expectedVersion: version,
      events: Array.from({ length: eventsPerAppend }, (_, k) => attendanceEvent(deputy, version + k)),
    };
  });
}

/** Splits a list into consecutive chunks of `size`. */
export function chunk<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
