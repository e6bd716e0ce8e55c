/**
 * One builder at a time for a county fixture (`turnToBuild`): a second asker waits while the first
 * builds and gets no turn once the file is there; a turn left by a process that died is taken over.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { turnToBuild } from '../src/fixture.ts';

describe('turnToBuild', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'yingpan-fixture-turn-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('makes a second builder wait for the first and then read its file', async () => {
    const file = path.join(dir, 'county.json');
    const first = await turnToBuild(file);
    expect(first).not.toBeNull();
    let answered = false;
    const second = turnToBuild(file).then((turn) => {
      answered = true;
      return turn;
    });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(answered).toBe(false);
    await writeFile(file, '[]');
    await first!();
    expect(await second).toBeNull();
  });

  it('takes the turn of a builder whose process is gone', async () => {
    const file = path.join(dir, 'county.json');
    const gone = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    await writeFile(`${file}.building`, String(gone));
    const turn = await turnToBuild(file);
    expect(turn).not.toBeNull();
    expect(await readFile(`${file}.building`, 'utf8')).toBe(String(process.pid));
    await turn!();
    await expect(readFile(`${file}.building`, 'utf8')).rejects.toThrow();
  });
});
