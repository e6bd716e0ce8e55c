import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, pgliteDb } from '../src/db.ts';

describe('the embedded database folder', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'yingpan-lock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps data between opens and refuses a second opener while in use', async () => {
    const dataDir = path.join(dir, 'pglite');
    const first = await pgliteDb({ dataDir });
    await first.query('CREATE TABLE kept (n int)');
    await first.query('INSERT INTO kept VALUES (42)');
    // Same process counts as the owner; simulate another live process by writing its pid.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dataDir}.lock`, String(process.ppid));
    await expect(pgliteDb({ dataDir })).rejects.toBeInstanceOf(DataDirInUseError);
    writeFileSync(`${dataDir}.lock`, String(process.pid));
    await first.close();

    const reopened = await pgliteDb({ dataDir });
    expect((await reopened.query<{ n: number }>('SELECT n FROM kept')).rows).toEqual([{ n: 42 }]);
    await reopened.close();
  });
});
