/**
 * Moving in and out through the command line: the small county (seed 7) on the embedded store →
 * `export` → `import-log` into PostgreSQL (another embedded store without DATABASE_URL) →
 * `export` again: the event lines are byte-identical, `verify --bundle` passes on both and the
 * loaded log verifies in place; one changed byte is caught. And `import` of a workbook filled in
 * from `template`: a dry run names the problem, the fixed file goes in.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '@yingpan/db/testing';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededCounty } from './county.ts';
import { yingpan } from './yingpan.ts';

const eventLines = (file: string) => readFileSync(file, 'utf8').split('\n').slice(1).join('\n');

describe('export, import-log and verify --bundle', () => {
  let dir: string;
  const embedded = () => ({ YINGPAN_DATA_DIR: path.join(dir, 'pglite') });
  let target: Record<string, string>;
  let dropTarget: () => Promise<void> = async () => {};

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'yingpan-move-'));
    if (process.env.DATABASE_URL) {
      const database = await createTestDatabase(process.env.DATABASE_URL);
      target = { DATABASE_URL: database.url };
      dropTarget = database.drop;
    } else {
      target = { YINGPAN_DATA_DIR: path.join(dir, 'second') };
    }
    await seededCounty({ dataDir: embedded().YINGPAN_DATA_DIR });
  }, 900_000);
  afterAll(async () => {
    await dropTarget();
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves the small county from the embedded store into another store with every position and hash, and exports it byte for byte', {
    timeout: 900_000,
  }, async () => {
    const first = path.join(dir, 'first.bundle');
    const exported = await yingpan(embedded(), 'export', '--out', first);
    expect(exported.code, exported.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(first, 'utf8').split('\n')[0]!);
    expect(manifest).toMatchObject({ format: 'yingpan-bundle/v1', firstPosition: 1, chainVersions: { 3: manifest.events } });
    expect(manifest.events).toBeGreaterThan(1000);
    expect(manifest.lastPosition).toBe(manifest.events);
    expect(Object.values(manifest.eventTypes as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(manifest.events);

    const checked = await yingpan({}, 'verify', '--bundle', first);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toContain(`OK: ${manifest.events} events verified; head position ${manifest.lastPosition}, hash ${manifest.headHash}`);

    const loaded = await yingpan(target, 'import-log', first);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.stdout).toContain(`Loaded ${manifest.events} events`);
    // The loaded log verifies in place: its chain and the Merkle tree the database built as rows went in.
    const inPlace = await yingpan(target, 'verify');
    expect(inPlace.code, inPlace.stderr).toBe(0);
    expect(inPlace.stdout).toContain(`head position ${manifest.lastPosition}, hash ${manifest.headHash}`);
    expect(inPlace.stdout).toContain(`Merkle tree: ${manifest.events} leaves match the log`);

    const second = path.join(dir, 'second.bundle');
    expect((await yingpan(target, 'export', '--out', second)).code).toBe(0);
    expect(eventLines(second) === eventLines(first)).toBe(true);
    const secondManifest = JSON.parse(readFileSync(second, 'utf8').split('\n')[0]!);
    expect(secondManifest).toMatchObject({ headHash: manifest.headHash, merkleRoot: manifest.merkleRoot, logSha256: manifest.logSha256 });
    expect((await yingpan({}, 'verify', '--bundle', second)).code).toBe(0);

    // A second load into a store that is no longer empty is refused, and writes nothing.
    const again = await yingpan(target, 'import-log', first);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('the log is not empty');
  });

  it('catches one changed byte anywhere in a bundle, naming the line', { timeout: 900_000 }, async () => {
    const first = path.join(dir, 'first.bundle');
    const text = readFileSync(first, 'utf8');
    const lines = text.split('\n');
    const changed = (at: number, edit: (line: string) => string) => {
      const copy = [...lines];
      copy[at] = edit(copy[at]!);
      const file = path.join(dir, `changed-${at}.bundle`);
      writeFileSync(file, copy.join('\n'));
      return file;
    };
    // A letter of a person's name in the data, a digit of a recording time, a byte of the manifest's head hash.
    const person = lines.findIndex((line) => line.includes('"type":"PersonRegistered"'));
    const renamed = changed(person, (line) => line.replace(/"name":"(.)/, (_, first: string) => `"name":"${first === '王' ? '汪' : '王'}`));
    const result = await yingpan({}, 'verify', '--bundle', renamed);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`FAILED at line ${person + 1} (position ${person})`);
    expect(result.stderr).toContain('hash-mismatch');

    const retimed = changed(10, (line) => line.replace(/"recordedAt":"(\d{4})/, (_, year: string) => `"recordedAt":"${Number(year) - 1}`));
    expect((await yingpan({}, 'verify', '--bundle', retimed)).stderr).toContain('FAILED at line 11 (position 10)');

    const manifest = changed(0, (line) => line.replace(/"headHash":"(.)/, (_, first: string) => `"headHash":"${first === 'a' ? 'b' : 'a'}`));
    const manifestResult = await yingpan({}, 'verify', '--bundle', manifest);
    expect(manifestResult.code).toBe(1);
    expect(manifestResult.stderr).toContain("FAILED at line 1: the manifest's head hash");

    const cut = path.join(dir, 'cut.bundle');
    writeFileSync(cut, lines.slice(0, -3).join('\n'));
    expect((await yingpan({}, 'verify', '--bundle', cut)).stderr).toContain("the manifest's event count");
  });
});

describe('yingpan import of a workbook from yingpan template', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'yingpan-import-cli-'));
    env = { YINGPAN_DATA_DIR: path.join(dir, 'pglite'), YINGPAN_SEED_SCALE: 'none' };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a dry run names the wrong cell in Chinese and exits 1; the corrected file is imported, and again adds nothing', { timeout: 900_000 }, async () => {
    const template = path.join(dir, 'roster.xlsx');
    expect((await yingpan(env, 'template', 'roster', '--out', template)).code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(template);
    workbook.getWorksheet('届次')!.getRow(2).values = [18, '2021-12-28', '2026-12-27'];
    const people = workbook.getWorksheet('人员任职')!;
    people.getRow(2).values = ['张伟', '男', 1975, '否', 18, '人大代表', '县级', '第一选区', '城关镇', '', '2021-12-28'];
    const file = path.join(dir, 'filled.xlsx');
    await workbook.xlsx.writeFile(file);

    const dry = await yingpan(env, 'import', file, '--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('「人员任职」第 2 行 G 列（代表层级） 「县级」：请从下拉列表中选择：全国、省、市、县、乡镇');

    people.getRow(2).getCell(7).value = '县';
    await workbook.xlsx.writeFile(file);
    const imported = await yingpan(env, 'import', file);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(imported.stdout).toContain('导入完成：成功 3 条');
    const again = await yingpan(env, 'import', file);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('成功 0 条，系统中已有 3 条（跳过）');
  });
});
