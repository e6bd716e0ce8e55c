/** The checkpoint key file (created once, owner-only, reused) and the hourly schedule. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifierKeyOf } from '@yingpan/event-store';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadCheckpointSigner, scheduleCheckpoints, untilNextHour } from '../src/checkpoints.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'yingpan-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the checkpoint key', () => {
  it('is created on first use, readable by its owner only, and the same key after', () => {
    const file = path.join(dir, 'nested', 'checkpoint-key');
    const signer = loadCheckpointSigner({ file, name: 'county.example/record' });
    expect(readFileSync(file, 'utf8')).toMatch(/^PRIVATE\+KEY\+county\.example\/record\+[0-9a-f]{8}\+/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(verifierKeyOf(loadCheckpointSigner({ file, name: 'ignored: the file names its key' }))).toBe(verifierKeyOf(signer));
  });

  it('refuses a file that holds no key, naming the file', () => {
    const file = path.join(dir, 'broken');
    writeFileSync(file, 'not a key');
    expect(() => loadCheckpointSigner({ file, name: 'x' })).toThrow(`The checkpoint key in ${file} cannot be used: not a signer key`);
  });
});

describe('the checkpoint schedule', () => {
  it('fires at every full hour (China’s midnight among them) and reports what it issued', async () => {
    expect(untilNextHour(Date.UTC(2025, 0, 1, 15, 59, 30))).toBe(30_000); // 23:59:30 China time: the day's end in 30 s
    expect(untilNextHour(Date.UTC(2025, 0, 1, 16, 0, 0))).toBe(3_600_000);
    vi.useFakeTimers({ now: Date.UTC(2025, 0, 1, 15, 59, 30) });
    try {
      const issued: number[] = [];
      let size = 0;
      const stop = scheduleCheckpoints(async () => ({ checkpoint: { treeSize: ++size } as never, issued: size !== 2 }), {
        issued: (checkpoint) => issued.push(checkpoint.treeSize),
        failed: () => {},
      });
      await vi.advanceTimersByTimeAsync(30_000);
      expect(issued).toEqual([1]);
      await vi.advanceTimersByTimeAsync(2 * 3_600_000);
      expect(issued).toEqual([1, 3]); // the second found nothing new
      stop();
      await vi.advanceTimersByTimeAsync(3_600_000);
      expect(size).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
