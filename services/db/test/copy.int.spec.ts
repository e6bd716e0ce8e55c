/** `copyFrom`: rows written with COPY read back as they were given, on both engines, in and out of transactions. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, pgliteDb, postgresDb } from '../src/index.ts';

const url = process.env.DATABASE_URL;
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const engines: [string, () => Promise<Db>][] = [
  [
    'PGlite',
    async () => {
      const folder = mkdtempSync(path.join(tmpdir(), 'yingpan-copy-'));
      folders.push(folder);
      return pgliteDb({ dataDir: folder });
    },
  ],
  ...(url ? [['PostgreSQL', async () => postgresDb({ connectionString: url, max: 2 })] as [string, () => Promise<Db>]] : []),
];

const COLUMNS = ['id', 'title', 'day', 'done', 'data', 'note'];
/** Values that COPY's text format must escape or mark: tabs, newlines, backslashes, NULLs, JSON with quotes. */
const ROWS: unknown[][] = [
  [1, '走访\t选民\n第二行', '2024-03-01', true, { 意见: '修路 "\\ 尽快"', n: 2, nested: ['a\tb'] }, null],
  [2, 'C:\\path\\to', '2024-12-31', false, [], '\\N is not null here'],
  [3, '', '2025-01-01', true, null, '\r\n'],
];

describe.each(engines)('copyFrom on %s', (_name, open) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(() => db.close());

  it('writes rows that read back exactly, in a transaction and outside one', async () => {
    const schema = `copy_${process.pid}_${Math.floor(performance.now())}`;
    try {
      await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema};
        CREATE TABLE ${schema}.t (id int PRIMARY KEY, title text NOT NULL, day date NOT NULL, done boolean NOT NULL, data jsonb, note text)`);
      await db.transaction((tx) => tx.copyFrom(`${schema}.t`, COLUMNS, ROWS.slice(0, 2)));
      await db.copyFrom(`${schema}.t`, COLUMNS, ROWS.slice(2));
      await db.copyFrom(`${schema}.t`, COLUMNS, []);
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT id, title, to_char(day, 'YYYY-MM-DD') AS day, done, data, note FROM ${schema}.t ORDER BY id`,
      );
      expect(rows.map((row) => COLUMNS.map((column) => row[column]))).toEqual(ROWS);
    } finally {
      await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  });

  it('writes nothing when a row is refused, and the transaction fails', async () => {
    const schema = `copy_bad_${process.pid}_${Math.floor(performance.now())}`;
    try {
      await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (id int PRIMARY KEY, day date NOT NULL)`);
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO ${schema}.t VALUES (0, '2024-01-01')`);
          await tx.copyFrom(
            `${schema}.t`,
            ['id', 'day'],
            [
              [1, '2024-01-01'],
              [2, 'not a day'],
            ],
          );
        }),
      ).rejects.toThrow();
      const { rows } = await db.query(`SELECT id FROM ${schema}.t`);
      expect(rows).toEqual([]);
    } finally {
      await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  });
});
