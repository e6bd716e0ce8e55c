/**
 * A backup of a running PostgreSQL with its own tools, restored (docs/operations.md): a county
 * imported from Excel, `pg_dump --format=custom`, `pg_restore` into an empty database — the
 * restored log verifies (chain and Merkle tree), ends at the same head, keeps each event's import
 * source, and its append-only guard still refuses an UPDATE. Needs DATABASE_URL and pg_dump.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openRuntime } from '@yingpan/api/runtime';
import { postgresDb } from '@yingpan/db';
import { createTestDatabase } from '@yingpan/db/testing';
import { SqlEventStore, TransparencyLog } from '@yingpan/event-store';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { countyView, importWorkbook } from '@yingpan/import';

const hasPgDump = (() => {
  try {
    execFileSync('pg_dump', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
const skip = !process.env.DATABASE_URL || !hasPgDump;
if (skip) console.warn('[yingpan tests] SKIPPED the pg_dump restore: it needs DATABASE_URL and pg_dump');

describe.skipIf(skip)('pg_dump and pg_restore of a running county', () => {
  it('restores a log that verifies, ends at the same head and keeps its guards', async () => {
    const source = await createTestDatabase(process.env.DATABASE_URL!);
    const target = await createTestDatabase(process.env.DATABASE_URL!);
    const dir = mkdtempSync(path.join(tmpdir(), 'yingpan-dump-'));
    try {
      const runtime = await openRuntime({ databaseUrl: source.url, dataDir: 'unused' }, postgresDb({ connectionString: source.url }));
      const workbook = new ExcelJS.Workbook();
      workbook.addWorksheet('届次').addRows([
        ['届次', '开始日期', '计划结束日期'],
        [18, '2021-12-28', '2026-12-27'],
      ]);
      workbook.addWorksheet('人员任职').addRows([
        ['姓名', '性别', '出生年份', '是否公职人员', '届次', '队伍', '代表层级', '选区', '乡镇（街道）', '职务或分工', '任职日期'],
        ['张伟', '男', 1975, '否', 18, '人大代表', '县', '第一选区', '城关镇', '', '2021-12-28'],
        ['王芳', '女', 1980, '是', 18, '乡镇人大主席', '', '', '城关镇', '主席', '2021-12-28'],
      ]);
      const report = await importWorkbook(
        Buffer.from(await workbook.xlsx.writeBuffer()),
        { bus: runtime.commands, store: runtime.store, county: async () => countyView(runtime.db, runtime.store) },
        { actor: { personId: 'county-office', role: 'admin' } },
      );
      expect(report).toMatchObject({ written: true, applied: 5 });
      const head = await runtime.store.head();
      await runtime.close();

      const dump = path.join(dir, 'county.dump');
      execFileSync('pg_dump', ['--format=custom', `--file=${dump}`, source.url]);
      execFileSync('pg_restore', ['--no-owner', `--dbname=${target.url}`, dump]);

      const db = postgresDb({ connectionString: target.url });
      try {
        const store = new SqlEventStore(db);
        expect(await store.verify()).toMatchObject({ ok: true, count: head.position, head });
        expect(await new TransparencyLog(db).audit()).toMatchObject({ leaves: head.position });
        const restored = await store.readAll({ after: 0, limit: 100 });
        expect(restored.every((event) => event.metadata.source?.sha256 === report.sha256)).toBe(true);
        await expect(db.query(`UPDATE yingpan.events SET type = 'Forged' WHERE position = 1`)).rejects.toThrow();
        await store.close();
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await target.drop();
      await source.drop();
    }
  });
});
