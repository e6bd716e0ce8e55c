/**
 * The Excel import against a real store (PGlite, and PostgreSQL when DATABASE_URL is set): files
 * built here with exceljs, every bad input the office produces, and a real import whose events
 * carry the file's SHA-256 and row — twice, adding nothing the second time.
 */
import { openRuntime, type Runtime } from '@yingpan/api/runtime';
import { listPeople } from '@yingpan/projections';
import { testTargets } from '@yingpan/db/testing';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { buildTemplate, countyView, importWorkbook, readWorkbook, runPlan, type ImportServices, type Plan } from '@yingpan/import';

const ADMIN = { personId: 'county-office', role: 'admin' };

/** Types a row below the last filled one, as a clerk would (the template's lists reach far below). */
function put(sheet: ExcelJS.Worksheet, values: unknown[]): void {
  let row = 2;
  while (sheet.getRow(row).getCell(1).value !== null) row++;
  sheet.getRow(row).values = values as ExcelJS.CellValue[];
}

/** A workbook from the template with these rows added to its sheets (values as a clerk types them). */
async function filled(kind: 'roster' | 'history', rows: Record<string, unknown[][]>, edit?: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await buildTemplate(kind, { townships: ['城关镇', '河口镇'], terms: [18], stations: [] })) as unknown as ExcelJS.Buffer);
  for (const [sheet, values] of Object.entries(rows)) for (const row of values) put(workbook.getWorksheet(sheet)!, row);
  edit?.(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const TERM = [[18, '2021-12-28', '2026-12-27']];
const PEOPLE = [
  ['张伟', '男', 1975, '否', 18, '人大代表', '县', '第一选区', '城关镇', '', '2021-12-28'],
  ['王芳', '女', 1980, '是', 18, '乡镇人大主席', '', '', '城关镇', '主席', '2021-12-28'],
  ['李娜', '女', 1988, '否', 18, '人大代表', '乡镇', '第二选区', '河口镇', '', '2022-01-05'],
];
const STATIONS = [['城关镇代表联络站', '代表联络站', '城关镇', '城关镇人民路 1 号', '2019-06-01', '王芳', '张伟、李娜']];

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`Excel import on ${target.name}`, () => {
    let runtime: Runtime;
    let services: ImportServices;
    let dispose: () => Promise<void>;

    beforeAll(async () => {
      const opened = await target.open();
      dispose = opened.dispose;
      runtime = await openRuntime({ dataDir: 'unused' }, opened.db);
      services = {
        bus: runtime.commands,
        store: runtime.store,
        county: async () => {
          await runtime.projector.catchUp();
          return countyView(runtime.db, runtime.store);
        },
      };
    });
    afterAll(async () => {
      await runtime?.close();
      await dispose?.();
    });

    it('the roster template has Chinese headers, instructions and drop-down lists of teams, levels and the county’s townships', async () => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await buildTemplate('roster', { townships: ['城关镇', '河口镇'], terms: [18], stations: [] })) as unknown as ExcelJS.Buffer);
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['填写说明', '选项', '届次', '人员任职', '联络站']);
      const people = workbook.getWorksheet('人员任职')!;
      expect((people.getRow(1).values as string[]).filter(Boolean)).toEqual([
        '姓名',
        '性别',
        '出生年份',
        '是否公职人员',
        '届次',
        '队伍',
        '代表层级',
        '选区',
        '乡镇（街道）',
        '职务或分工',
        '任职日期',
      ]);
      const team = people.getCell('F2').dataValidation;
      expect(team).toMatchObject({ type: 'list' });
      const lists = workbook.getWorksheet('选项')!;
      const listed = (formula: string) => {
        const [, column, last] = /\$([A-Z]+)\$2:\$[A-Z]+\$(\d+)/.exec(formula)!;
        return Array.from({ length: Number(last) - 1 }, (_, index) => lists.getCell(`${column}${index + 2}`).value);
      };
      expect(listed(team.formulae![0] as string)).toEqual(['人大代表', '常委会组成人员', '专门委员会委员', '机关工作人员', '乡镇人大主席']);
      expect(listed(people.getCell('I2').dataValidation.formulae![0] as string)).toEqual(['城关镇', '河口镇']);
      expect(listed(people.getCell('G2').dataValidation.formulae![0] as string)).toEqual(['全国', '省', '市', '县', '乡镇']);
    });

    it('refuses what is not a workbook by name: plain text, an old .xls, an empty file, a 200 MB file, a sheet not of the template', async () => {
      const reasons = async (bytes: Uint8Array) => (await readWorkbook(bytes)).problems.map((problem) => problem.reason).join(' | ');
      expect(await reasons(Buffer.from('姓名,性别\n张伟,男\n'))).toContain('这不是 Excel 工作簿（.xlsx）');
      expect(await reasons(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toContain('旧版 Excel 文件（.xls）');
      expect(await reasons(new Uint8Array())).toContain('文件是空的');
      expect(await reasons(Buffer.alloc(200 * 1024 * 1024))).toContain('文件过大（200.0 MB），上限 20.0 MB');
      // A zip that is not a workbook.
      expect(await reasons(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]))).toContain('文件已损坏或不是 Excel 工作簿');
      const other = new ExcelJS.Workbook();
      other.addWorksheet('Sheet1').addRow(['姓名', '性别']);
      const wrongSheet = await reasons(Buffer.from(await other.xlsx.writeBuffer()));
      expect(wrongSheet).toContain('不认识的工作表「Sheet1」');
      expect(wrongSheet).toContain('文件中没有可导入的工作表');
      const report = await importWorkbook(Buffer.from(await other.xlsx.writeBuffer()), services, { actor: ADMIN });
      expect(report).toMatchObject({ written: false, applied: 0 });
      expect(await runtime.store.head()).toMatchObject({ position: 0 });
    });

    it('reads what the office types: dates as text or Excel serials, full-width digits, trailing spaces; reports merged cells, duplicates, bad dates and unknown people by row and column, and writes nothing', async () => {
      const bytes = await filled(
        'roster',
        {
          届次: TERM,
          人员任职: [
            ['张伟 ', '男', '１９７５', '否', '１８', '人大代表', '县', '第一选区', '城关镇', '', '2021年12月28日'],
            ['王芳', '女', 1980, '是', 18, '乡镇人大主席', '', '', '城关镇', '主席', 44558], // 44558 = 2021-12-28
            ['李娜', '女', 1988, '否', 18, '人大代表', '乡镇', '第二选区', '河口镇', '', '2022/1/5'],
            ['李娜', '女', 1988, '否', 18, '人大代表', '乡镇', '第二选区', '河口镇', '', '2022/1/5'],
            ['赵强', '男', 1970, '否', 18, '人大代表', '', '', '河口镇', '', '2022-01-01'],
            ['钱军', '男', 1971, '否', 18, '人大代表', '县', '', '河口镇', '', '2022-02-30'],
          ],
          联络站: [['城关镇代表联络站', '代表联络站', '城关镇', '人民路 1 号', '2019-06-01', '王芳', '张伟、刘洋']],
        },
        (workbook) => {
          const stations = workbook.getWorksheet('联络站')!;
          put(stations, ['河口镇代表之家', '代表之家', '河口镇', '', '2020-01-01']);
          put(stations, ['河口镇代表联络站', '代表联络站', '河口镇', '', '2020-01-01']);
          stations.mergeCells('D3:D4');
        },
      );
      const report = await importWorkbook(bytes, services, { actor: ADMIN, dryRun: true });
      const found = report.problems.map((problem) => `${problem.sheet}!${problem.cell || problem.row}「${problem.value}」${problem.reason}`);
      expect(found).toEqual(
        expect.arrayContaining([
          expect.stringContaining('人员任职!5「李娜 / 女 / 1988 / 18 / 人大代表 / 乡镇」与第 4 行重复'),
          expect.stringContaining('人员任职!G6「」人大代表须填代表层级'),
          expect.stringContaining('人员任职!K7「2022-02-30」没有这一天'),
          expect.stringContaining('联络站!D4「」「地址」必须填写'),
          expect.stringContaining('联络站!G2「刘洋」找不到「刘洋」'),
          expect.stringContaining('联络站!D3:D4「」合并单元格 D3:D4'),
        ]),
      );
      // 张伟 (full-width year, trailing space) and 王芳 (a serial date) were read without complaint.
      expect(found.filter((line) => line.startsWith('人员任职!2') || line.includes('!K3') || line.includes('!C2'))).toEqual([]);
      expect(report).toMatchObject({ dryRun: true, written: false });
      // Without --only-valid a file with problems writes nothing.
      expect(await importWorkbook(bytes, services, { actor: ADMIN })).toMatchObject({ written: false, applied: 0 });
      expect(await runtime.store.head()).toMatchObject({ position: 0 });
    });

    it('imports a valid roster and its history through the domain: each event records the file’s SHA-256 and row; the same file again adds nothing', async () => {
      const roster = await filled('roster', { 届次: TERM, 人员任职: PEOPLE, 联络站: STATIONS });
      const dry = await importWorkbook(roster, services, { actor: ADMIN, dryRun: true });
      expect(dry.problems).toEqual([]);
      expect(dry.summary).toContain('检查通过');
      expect(await runtime.store.head()).toMatchObject({ position: 0 });

      const first = await importWorkbook(roster, services, { actor: ADMIN });
      expect(first.problems).toEqual([]);
      // term, 3 people, 3 seats, station, manager, 2 deputies
      expect(first).toMatchObject({ written: true, applied: 11, duplicates: 0 });
      const events = await runtime.store.readAll({ after: 0, limit: 1000 });
      expect(events.length).toBe(first.events);
      for (const event of events) expect(event.metadata.source).toMatchObject({ sha256: first.sha256 });
      const zhang = events.find((event) => event.type === 'PersonRegistered' && (event.data as { name: string }).name === '张伟')!;
      expect(zhang.metadata.source).toEqual({ sha256: first.sha256, sheet: '人员任职', row: 2 });
      expect(await runtime.store.verify()).toMatchObject({ ok: true, count: events.length });

      const again = await importWorkbook(roster, services, { actor: ADMIN });
      expect(again).toMatchObject({ applied: 0, events: 0 });
      expect((await runtime.store.head()).position).toBe(events.length);

      await runtime.projector.catchUp();
      expect((await listPeople(runtime.db)).map((person) => person.name).sort()).toEqual(['张伟', '李娜', '王芳']);

      // The history names people of the county (now in the directory), with a namesake's birth year where needed.
      const history = await filled('history', {
        培训: [['2024 年新任代表培训', '新任培训班', '2024-03-15', '张伟、李娜（1988）']],
        活动: [['河道治理视察', '视察', '2024-05-20', '县人大常委会办公室', '河口镇', '李娜']],
        进站回家: [
          ['进站履职', '张伟', '2024-04-08', '城关镇代表联络站', '', '', '接待群众三人'],
          ['回家履职', '李娜', '2024-06-01', '', '河口村村委会', '村民代表', '听取修路意见'],
          ['进站履职', '张伟', '2024-04-09', '不存在的站', '', '', '接待群众'],
        ],
      });
      const checked = await importWorkbook(history, services, { actor: ADMIN, dryRun: true });
      expect(checked.problems.map((problem) => `${problem.sheet}!${problem.cell}:${problem.reason}`)).toEqual([
        '进站回家!D4:找不到联络站「不存在的站」：请在「联络站」表中填写，或检查名称',
      ]);
      const partial = await importWorkbook(history, services, { actor: ADMIN, onlyValid: true });
      expect(partial).toMatchObject({ written: true, applied: 4 });
      expect(partial.summary).toContain('成功 4 条');
      expect(partial.summary).toContain('失败 1 行');
      const imported = await runtime.store.readAll({ after: events.length, limit: 1000 });
      expect(imported.map((event) => event.metadata.source?.sheet)).toEqual(expect.arrayContaining(['培训', '活动', '进站回家']));
      expect(imported.find((event) => event.type === 'TrainingAttendanceRecorded' || event.type === 'TrainingOrganised')?.metadata.occurredAt).toBe(
        '2024-03-15T04:00:00.000Z',
      );
      expect(await runtime.store.verify()).toMatchObject({ ok: true });
    });

    it('writes a file all at once: a row the rules refuse while importing leaves nothing of the file written, unless only the valid rows were asked for', async () => {
      const personId = randomUUID();
      const step = (row: number, command: string, input: Record<string, unknown>) => ({
        sheet: '人员任职',
        row,
        part: 'person',
        command,
        input,
        commandId: randomUUID(),
        phase: row,
      });
      const plan: Plan = {
        sha256: 'f'.repeat(64),
        // The second row's seat names a term that does not exist: the plan cannot know, the rules refuse it.
        steps: [
          step(2, 'RegisterPerson', { personId, name: '赵全有' }),
          step(3, 'StartMandate', {
            mandateId: randomUUID(),
            personId,
            termId: randomUUID(),
            kind: 'deputy',
            level: 'county',
            publicServant: false,
            startsOn: '2024-01-02',
          }),
        ],
        problems: [],
        rows: 2,
        validRows: 2,
        known: 0,
      };
      const head = await runtime.store.head();
      const stopped = await runPlan(plan, 1, services, { actor: ADMIN });
      expect(stopped).toMatchObject({ written: false, applied: 0, events: 0 });
      expect(stopped.problems).toHaveLength(1);
      expect(stopped.summary).toContain('整个文件均未登记');
      expect(await runtime.store.head()).toEqual(head);
      expect(await runtime.store.streamVersion(`person:${personId}`)).toBe(0);

      const valid = await runPlan(plan, 1, services, { actor: ADMIN, onlyValid: true });
      expect(valid).toMatchObject({ written: true, applied: 1 });
      expect((await runtime.store.head()).position).toBe(head.position + valid.events);
    });
  });
}
