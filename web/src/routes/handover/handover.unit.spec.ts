import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { workbookBytes } from '$lib/export';
import { dossierSheets, flagLabel, itemSubject, recordLine, statusLabel, versionDetails, type DossierForExport } from './handover';

const DOSSIER: DossierForExport = {
  term: { number: 17, startsOn: '2016-11-20', closedOn: '2021-11-19' },
  nextTerm: { number: 18, startsOn: '2021-11-20' },
  openItems: [
    {
      key: 'suggestion:c163b352-41fb-5139-99f4-87414bb78dd9',
      kind: 'SUGGESTION',
      flagged: false,
      status: 'assigned',
      statusAtClose: 'assigned',
      atClose: JSON.stringify({ kind: 'suggestion', title: '关于加强环境保护的建议', agency: '县人力资源和社会保障局', deadline: '2021-09-02' }),
      predecessor: { name: '赵涛荣' },
      inheritor: { name: '赵涛荣', rule: 'RE_ELECTED' },
      acknowledgement: { on: '2026-11-26', note: '继续跟进', person: { name: '赵涛荣' } },
      history: [
        { version: 1, on: '2021-05-28', eventType: 'SuggestionDrafted', status: 'drafted' },
        { version: 2, on: '2021-06-02', eventType: 'SuggestionAssigned', status: 'assigned' },
      ],
    },
    {
      key: 'suggestion:b5859f14-0000-4000-8000-000000000000',
      kind: 'SUGGESTION',
      flagged: true,
      reason: 'LEAD_NOT_RETURNED',
      reasonZh: '领衔代表未连任',
      status: 'assigned',
      statusAtClose: 'assigned',
      atClose: JSON.stringify({ kind: 'motion', title: '议案' }),
      predecessor: { name: '姜红静' },
      inheritor: null,
      history: [],
    },
  ],
  seats: [
    {
      seat: { kind: 'DEPUTY', level: 'COUNTY', township: '石桥铺镇', startsOn: '2016-11-20', validTo: '2021-11-19', person: { name: '赵涛荣' } },
      record: [
        { act: 'STATION_VISIT', count: 9, labelZh: '进站履职' },
        { act: 'INSPECTION', count: 2, labelZh: '视察' },
      ],
      openItemKeys: ['suggestion:c163b352-41fb-5139-99f4-87414bb78dd9'],
      returnedAs: { termNumber: 18, kind: 'DEPUTY' },
    },
  ],
  stations: [
    {
      name: '周礼镇人大代表之家',
      township: '周礼镇',
      statusAtClose: 'open',
      managerAtClose: { name: '武兵霞' },
      nextManager: { name: '武华冬', since: '2021-11-20' },
      record: [{ act: 'STATION_VISIT', count: 53, labelZh: '进站履职' }],
      openItemKeys: ['a', 'b'],
    },
  ],
  portfolios: [{ portfolio: '办公室', flagged: true, holders: [{ name: '唐成文' }], successors: [], record: [], openItemKeys: [] }],
  pairings: [
    {
      kind: 'COMMITTEE_LIAISON',
      mentor: { name: '孟峰平' },
      mentees: [{ name: '甲' }, { name: '乙' }],
      startsOn: '2017-01-13',
      status: 'active',
      statusAtClose: 'active',
      record: [],
    },
  ],
};

const words = {
  language: 'zh-CN' as const,
  termName: (number: number) => `第${number}届`,
  act: (act: string) => act,
  seatKind: (kind: string) => (kind === 'DEPUTY' ? '人大代表' : kind),
  level: (level: string) => (level === 'COUNTY' ? '县级' : level),
};

describe('the handover dossier', () => {
  it('says what each open item is about from its state at the close', () => {
    expect(itemSubject('OPINION', JSON.stringify({ category: '道路交通', agency: '县民政局', registeredOn: '2018-06-06', deadline: '2018-07-13' }))).toEqual({
      zh: '道路交通 · 交办县民政局 · 2018-06-06 登记 · 期限 2018-07-13',
      en: '道路交通 · referred to 县民政局 · registered 2018-06-06 · due 2018-07-13',
    });
    expect(itemSubject('SUGGESTION', DOSSIER.openItems[1]!.atClose).zh).toBe('议案「议案」');
    expect(itemSubject('PAIRING', JSON.stringify({ kind: 'committee-liaison', mentees: [{}, {}, {}], startsOn: '2017-01-13' })).zh).toBe(
      '常委会组成人员联系代表 · 帮带 3 人 · 2017-01-13 起',
    );
    expect(itemSubject('STATION_DUTIES', JSON.stringify({ name: '周礼镇人大代表之家' })).zh).toBe('周礼镇人大代表之家 · 负责人更换');
    expect(itemSubject('OPINION', 'not json').zh).toBe('');
  });

  it('names statuses, flags and records, falling back to what the API said', () => {
    expect(statusLabel('referred')).toEqual({ zh: '已交办', en: 'referred' });
    expect(statusLabel('later')).toEqual({ zh: 'later', en: 'later' });
    expect(flagLabel('LEAD_NOT_RETURNED').zh).toBe('领衔代表未连任');
    expect(flagLabel('SOMETHING_NEW', '新的原因').zh).toBe('新的原因');
    expect(recordLine('zh-CN', DOSSIER.seats[0]!.record, (act) => act)).toBe('进站履职 9 · 视察 2');
    expect(recordLine('en', DOSSIER.seats[0]!.record, (act) => act.toLowerCase())).toBe('station_visit 9 · inspection 2');
    expect(recordLine('zh-CN', [], (act) => act)).toBe('无');
    expect(versionDetails('{"agency":"县民政局","coSigners":[],"deadline":null}')).toBe('agency: 县民政局');
  });

  it('exports open items, seats, stations, portfolios and pairings, flags marked', async () => {
    const sheets = dossierSheets(DOSSIER, words);
    expect(sheets.map((sheet) => sheet.name)).toEqual(['未办结事项', '任职', '家站', '分管工作', '结队帮带']);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await workbookBytes(sheets));
    const items = workbook.getWorksheet('未办结事项')!;
    expect(items.getCell('A1').value).toBe('第17届 换届交接：未办结事项');
    expect(items.getCell('A2').value).toBe('第17届：2016-11-20 至 2021-11-19');
    // Title, two notes, a blank line, the header on row 5.
    expect(items.getRow(5).values).toEqual([
      undefined,
      '类别',
      '事项',
      '原负责人',
      '换届时状态',
      '当前状态',
      '接收人',
      '依据 / 标记原因',
      '确认接收',
      '变更次数',
      '编号',
    ]);
    expect(items.getRow(6).values).toEqual([
      undefined,
      '建议议案',
      '建议「关于加强环境保护的建议」 · 交办县人力资源和社会保障局 · 期限 2021-09-02',
      '赵涛荣',
      '已交办',
      '已交办',
      '赵涛荣',
      '连任的领衔代表或帮带人',
      '2026-11-26 赵涛荣：继续跟进',
      2,
      'suggestion:c163b352-41fb-5139-99f4-87414bb78dd9',
    ]);
    expect(items.getCell('F7').value || null).toBeNull();
    expect(items.getCell('G7').value).toBe('⚑ 领衔代表未连任');
    const seats = workbook.getWorksheet('任职')!;
    expect(seats.getRow(6).values).toEqual([
      undefined,
      '赵涛荣',
      '人大代表 · 县级',
      '石桥铺镇',
      '2016-11-20 — 2021-11-19',
      '进站履职 9 · 视察 2',
      1,
      '第18届 人大代表',
    ]);
    expect(workbook.getWorksheet('家站')!.getCell('E6').value).toBe('武华冬（2021-11-20 起）');
    expect(workbook.getWorksheet('分管工作')!.getCell('C6').value).toBe('⚑ 无人分管');
    expect(workbook.getWorksheet('结队帮带')!.getCell('C6').value).toBe('甲、乙');
  });
});
