/**
 * bench:import — a county moving in from Excel: one workbook of N rows (default 20,000: a term,
 * about a thousand deputies and thirty township chairs with their seats, sixty stations with their
 * managers and deputies, trainings with sign-in sheets of forty, and station visits for the rest)
 * read, checked and imported through the domain's bus into an empty PostgreSQL database; then the
 * same file again (everything a duplicate). Next to it, in the same run, the same commands run
 * through the same bus from the checked plan, without reading a workbook, into a second empty
 * database: what the Excel layer costs on top of the domain's own work.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRuntime, type Runtime } from '@yingpan/api/runtime';
import { postgresDb } from '@yingpan/db';
import { SHEETS, countyView, importWorkbook, planImport, readWorkbook, runPlan, type ImportServices } from '@yingpan/import';
import ExcelJS from 'exceljs';
import { databaseUrl, sizeOption } from './options.ts';
import { describeMachine, renderReport, titled, type ResultRow } from './report.ts';
import { throwAwayDatabase } from './throwaway.ts';

const RESULTS_FILE = fileURLToPath(new URL('../results/import.md', import.meta.url));
const ADMIN = { personId: 'county-office', role: 'admin' };
const flag = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const ROWS = sizeOption(flag('rows'), process.env.BENCH_IMPORT_ROWS, 20_000, '--rows');

const SURNAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平';
/** A distinct 3-character name for each number below 12,000. */
const nameOf = (i: number) => SURNAMES[i % 30]! + GIVEN[Math.floor(i / 30) % 20]! + GIVEN[Math.floor(i / 600) % 20]!;
const dayAfter = (start: string, days: number) => new Date(Date.parse(`${start}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The workbook: every sheet of both templates in one file, `rows` data rows in all. */
async function workbookOf(rows: number): Promise<{ bytes: Buffer; counts: Record<string, number> }> {
  const workbook = new ExcelJS.Workbook();
  const sheets = new Map(SHEETS.map((spec) => [spec.name, workbook.addWorksheet(spec.name)]));
  for (const spec of SHEETS) sheets.get(spec.name)!.addRow(spec.columns.map((column) => column.header));
  const add = (sheet: string, values: unknown[]) => sheets.get(sheet)!.addRow(values);
  const townships = Array.from({ length: 30 }, (_, i) => `第${i + 1}镇`);
  const deputies = Math.max(20, Math.min(1000, Math.floor(rows / 20)));
  const stations = Math.max(2, Math.min(60, Math.floor(deputies / 17)));
  add('届次', [18, '2021-12-28', '2026-12-27']);
  for (let i = 0; i < 30; i++) add('人员任职', [nameOf(i), '男', 1970, '是', 18, '乡镇人大主席', '', '', townships[i], '主席', '2021-12-28']);
  for (let d = 0; d < deputies; d++)
    add('人员任职', [nameOf(30 + d), d % 2 ? '女' : '男', 1960 + (d % 40), '否', 18, '人大代表', '县', `第${d % 99}选区`, townships[d % 30], '', '2021-12-28']);
  const stationOf = (d: number) => d % stations;
  for (let s = 0; s < stations; s++) {
    const members = Array.from({ length: deputies }, (_, d) => d)
      .filter((d) => stationOf(d) === s)
      .map((d) => nameOf(30 + d));
    add('联络站', [`第${s + 1}代表联络站`, '代表联络站', townships[s % 30], `第${s + 1}路 1 号`, '2019-06-01', nameOf(s % 30), members.join('、')]);
  }
  let used = 1 + 30 + deputies + stations;
  const trainings = Math.min(200, Math.floor((rows - used) / 100));
  for (let t = 0; t < trainings; t++) {
    const attendees = Array.from({ length: 40 }, (_, k) => nameOf(30 + ((t * 40 + k) % deputies)));
    add('培训', [`第${t + 1}期代表培训`, '年度学习计划', dayAfter('2022-02-01', t * 5), [...new Set(attendees)].join('、')]);
  }
  used += trainings;
  const visits = rows - used;
  for (let v = 0; v < visits; v++) {
    const d = v % deputies;
    add('进站回家', [
      '进站履职',
      nameOf(30 + d),
      dayAfter('2022-01-10', Math.floor(v / deputies)),
      `第${stationOf(d) + 1}代表联络站`,
      '',
      '',
      '接待群众，听取意见',
    ]);
  }
  return {
    bytes: Buffer.from(await workbook.xlsx.writeBuffer()),
    counts: { 届次: 1, 人员任职: 30 + deputies, 联络站: stations, 培训: trainings, 进站回家: visits },
  };
}

async function emptyCounty(): Promise<{ runtime: Runtime; services: ImportServices; drop(): Promise<void> }> {
  const database = await throwAwayDatabase();
  const runtime = await openRuntime({ databaseUrl: database.url, dataDir: 'unused' }, postgresDb({ connectionString: database.url }));
  const services: ImportServices = {
    bus: runtime.commands,
    store: runtime.store,
    county: async () => {
      await runtime.projector.catchUp();
      return countyView(runtime.db, runtime.store);
    },
  };
  return {
    runtime,
    services,
    async drop() {
      await runtime.close();
      await database.drop();
    },
  };
}

const seconds = (since: number) => (performance.now() - since) / 1000;

async function main() {
  databaseUrl();
  console.error(`[bench:import] building a workbook of ${ROWS.toLocaleString('en')} rows…`);
  const { bytes, counts } = await workbookOf(ROWS);
  console.error(`[bench:import] ${(bytes.length / 1024 / 1024).toFixed(1)} MB: ${JSON.stringify(counts)}`);

  // The import, from the file's bytes to the last event.
  const first = await emptyCounty();
  const machine = await describeMachine(first.runtime.db);
  let started = performance.now();
  const read = await readWorkbook(bytes);
  const readSeconds = seconds(started);
  started = performance.now();
  const report = await importWorkbook(bytes, first.services, { actor: ADMIN });
  const importSeconds = seconds(started) + readSeconds;
  if (report.problems.length > 0) throw new Error(`the bench's workbook has problems: ${JSON.stringify(report.problems.slice(0, 5))}`);
  console.error(`[bench:import] imported: ${report.summary} (${importSeconds.toFixed(1)} s)`);
  started = performance.now();
  const again = await importWorkbook(bytes, first.services, { actor: ADMIN });
  const againSeconds = seconds(started);
  if (again.events !== 0) throw new Error(`importing the same file again wrote ${again.events} events`);
  await first.drop();

  // The baseline: the same checked plan's commands through the same bus, no workbook.
  const second = await emptyCounty();
  const plan = await planImport(read, await second.services.county());
  started = performance.now();
  const direct = await runPlan(plan, bytes.length, second.services, { actor: ADMIN });
  const directSeconds = seconds(started);
  await second.drop();

  const rows: ResultRow[] = [
    {
      benchmark: `xlsx import of ${ROWS.toLocaleString('en')} rows, whole (read, check, run): events/s`,
      unit: 'events/s',
      yingpan: report.events / importSeconds,
      baseline: direct.events / directSeconds,
    },
    { benchmark: 'the same, time taken', unit: 'ms', yingpan: importSeconds * 1000, baseline: directSeconds * 1000 },
    { benchmark: 'reading the workbook alone (exceljs, every cell checked)', unit: 'ms', yingpan: readSeconds * 1000, baseline: importSeconds * 1000 },
    { benchmark: 'the same file imported again (every command a duplicate)', unit: 'ms', yingpan: againSeconds * 1000, baseline: importSeconds * 1000 },
  ];
  const workload = [
    `One workbook of ${ROWS.toLocaleString('en')} rows (${(bytes.length / 1024 / 1024).toFixed(1)} MB): ${Object.entries(counts)
      .map(([sheet, n]) => `${sheet} ${n.toLocaleString('en')}`)
      .join(', ')}; ${report.commands.toLocaleString('en')} commands, ${report.events.toLocaleString('en')} events.`,
    'yingpan: `importWorkbook` from the file’s bytes into an empty database (as `yingpan import` and the web’s 导入 do), 8 commands at a time per phase; baseline: the same checked plan’s commands through the same bus into another empty database, no workbook.',
    'Row 3 compares reading the workbook with the whole import; row 4 the second import of the same file with the first.',
  ];
  const markdown = renderReport(titled('bench:import'), machine, workload, rows, [
    'A ratio below 1 on events/s, or above 1 on ms, means the import is slower than its baseline.',
    `Target (issue 16): 20,000 rows in under a minute. This run: ${importSeconds.toFixed(1)} s for ${ROWS.toLocaleString('en')} rows.`,
  ]);
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, markdown);
  console.log(markdown);
}

await main();
