import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { workbookBytes } from '$lib/export';
import { stationSheets, type StationExportData } from './export';

const STATION: StationExportData = {
  name: '周礼镇人大代表之家',
  township: '周礼镇',
  address: '周礼镇政府旁',
  manager: '武华冬',
  from: '2016-11-20',
  to: '2026-11-26',
  roster: [{ name: '余祥成', level: 'COUNTY', termNumber: 18, fromOn: '2021-11-20', toOn: null, endReason: null }],
  receptions: [
    {
      heldOn: '2026-05-05',
      lead: { name: '余祥成' },
      deputies: [
        { name: '余祥成', status: 'APPROVED' },
        { name: '孟雪', status: 'PENDING' },
      ],
      votersReceived: 12,
      opinionCount: 2,
      topics: ['道路', '饮水'],
    },
    { heldOn: '2026-06-05', lead: { name: '孟雪' }, deputies: [{ name: '孟雪', status: 'APPROVED' }], votersReceived: 5, opinionCount: 0, topics: [] },
  ],
  opinions: [
    {
      registeredOn: '2026-05-05',
      category: '道路交通',
      receivedBy: { name: '余祥成' },
      agency: null,
      deadline: '2026-06-04',
      status: 'REGISTERED',
      satisfaction: null,
    },
  ],
  handling: [
    {
      category: '道路交通',
      agency: '县交通运输局',
      status: 'CLOSED',
      deadline: '2026-06-04',
      late: true,
      overdue: false,
      steps: [
        { stepNo: 1, on: '2026-05-05', status: 'REGISTERED' },
        { stepNo: 2, on: '2026-05-06', status: 'REFERRED', agency: '县交通运输局' },
        { stepNo: 3, on: '2026-06-10', status: 'CLOSED', satisfaction: 'SATISFIED' },
      ],
    },
  ],
  activities: [{ date: '2026-06-10', act: 'STATION_VISIT', name: '余祥成', summary: '进站接待', status: 'PENDING', corrected: false }],
  study: [],
  duty: [
    { name: '余祥成', counts: { stationVisits: 3, homeVisits: 1, voterReceptions: 2, dutyReports: 1 } },
    { name: '孟雪', counts: { stationVisits: 1, homeVisits: 0, voterReceptions: 2, dutyReports: 0 } },
  ],
};

describe('the station books export', () => {
  it('writes the roster and the six books, headed as the page heads them, with totals', async () => {
    const sheets = stationSheets(STATION, 'zh-CN');
    expect(sheets.map((sheet) => sheet.name)).toEqual(['一册：代表名册', '接待选民簿', '意见建议簿', '意见处理簿', '活动簿', '学习簿', '履职簿']);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await workbookBytes(sheets));
    expect(workbook.worksheets).toHaveLength(7);

    const receptions = workbook.getWorksheet('接待选民簿')!;
    expect(receptions.getCell('A1').value).toBe('周礼镇人大代表之家 · 接待选民簿');
    expect(receptions.getCell('A3').value).toBe('簿册覆盖 2016-11-20 至 2026-11-26');
    // Title, three notes, a blank line: the header on row 6.
    expect(receptions.getRow(6).values).toEqual([undefined, '日期', '主持代表', '参加代表', '接待人数', '意见数', '议题']);
    expect(receptions.getRow(7).values).toEqual([undefined, '2026-05-05', '余祥成', '余祥成、孟雪（待审核）', 12, 2, '道路、饮水']);
    expect(receptions.getRow(9).values).toEqual([undefined, '合计', undefined, undefined, 17, 2]);

    const handling = workbook.getWorksheet('意见处理簿')!;
    expect(handling.getCell('C7').value).toBe('2026-06-04 · 曾逾期');
    expect(handling.getCell('E7').value).toBe('1. 2026-05-05 已登记\n2. 2026-05-06 已交办 → 县交通运输局\n3. 2026-06-10 已办结（满意）');
    expect(workbook.getWorksheet('活动簿')!.getRow(7).values).toEqual([undefined, '2026-06-10', '进站履职', '余祥成', '进站接待', '待审核']);
    expect(workbook.getWorksheet('学习簿')!.rowCount).toBe(6);
    expect(workbook.getWorksheet('履职簿')!.getRow(9).values).toEqual([undefined, '合计', 4, 1, 4, 1]);
  });

  it('never exports a voter: the opinion book has no voter column', () => {
    const [, , opinions] = stationSheets(STATION, 'zh-CN');
    expect(opinions!.columns.map((column) => column.key)).toEqual(['date', 'category', 'receivedBy', 'agency', 'deadline', 'status', 'satisfaction']);
    expect(JSON.stringify(opinions!.rows)).not.toMatch(/voter/i);
  });
});
