/**
 * The least a rebuild's writes can cost: every read model's rows, as a rebuild left them, copied
 * table to table inside PostgreSQL (`INSERT … SELECT`) into empty tables with the same columns,
 * constraints and indexes — no event read or decoded, no statement per page, nothing in Node.js.
 * Whatever writes these rows pays at least this much of the database's time; a rebuild's distance
 * from it is the cost of turning events into rows.
 */
import type { Db } from '@yingpan/db';

export interface WriteFloor {
  /** Wall time of the copies, in seconds (the empty tables' creation not counted). */
  seconds: number;
  /** Rows copied: every row of every `rm_*` table. */
  rows: number;
  tables: number;
}

const SCRATCH = 'bench_write_floor';

export async function readModelWriteFloor(db: Db): Promise<WriteFloor> {
  const { rows: tables } = await db.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_schema LIKE 'rm\\_%' AND table_type = 'BASE TABLE' ORDER BY 1, 2`,
  );
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const copyOf = (table: { schema: string; name: string }) => `${SCRATCH}.${quote(`${table.schema}__${table.name}`)}`;
  await db.query(`DROP SCHEMA IF EXISTS ${SCRATCH} CASCADE`);
  await db.query(`CREATE SCHEMA ${SCRATCH}`);
  try {
    for (const table of tables) await db.query(`CREATE TABLE ${copyOf(table)} (LIKE ${quote(table.schema)}.${quote(table.name)} INCLUDING ALL)`);
    let rows = 0;
    const started = performance.now();
    for (const table of tables) rows += (await db.query(`INSERT INTO ${copyOf(table)} SELECT * FROM ${quote(table.schema)}.${quote(table.name)}`)).rowCount;
    return { seconds: (performance.now() - started) / 1000, rows, tables: tables.length };
  } finally {
    await db.query(`DROP SCHEMA ${SCRATCH} CASCADE`);
  }
}
