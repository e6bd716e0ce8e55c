/**
 * The checkpoint signer's key and the API's checkpoint schedule (docs/decisions.md §11).
 *
 * The key is an Ed25519 signer key in the note format (`PRIVATE+KEY+<name>+<id>+<key>`) kept in
 * YINGPAN_CHECKPOINT_KEY_FILE (default `.data/checkpoint-key`), created on first use, readable by
 * its owner only — as the token secret is (auth.ts). Its verifier key is what the public checks
 * checkpoints with (`checkpointPublicKey`, `npx yingpan checkpoint --public-key`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSignerKey, signerFromKey, type NoteSigner, type StoredCheckpoint } from '@yingpan/event-store';

/** The signer kept in `file` (created for `name` when missing); with no file, one for the process's life. */
export function loadCheckpointSigner({ file, name }: { file?: string | undefined; name: string }): NoteSigner {
  if (file === undefined) return signerFromKey(generateSignerKey(name));
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, `${generateSignerKey(name)}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process made it first
    }
  }
  try {
    return signerFromKey(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`The checkpoint key in ${file} cannot be used: ${(error as Error).message}`);
  }
}

/** Milliseconds from `now` to the next full hour (UTC hours; China's midnight, the day's end, is one of them). */
export function untilNextHour(now: number): number {
  const hour = 3_600_000;
  return hour - (now % hour);
}

/**
 * Issues a checkpoint at every full hour — the last of a day (China Standard Time) is the one at
 * its midnight — until the returned function is called. `issue` itself skips a tree that has not
 * grown. A failure is reported and the next hour tries again.
 */
export function scheduleCheckpoints(
  issue: () => Promise<{ checkpoint: StoredCheckpoint; issued: boolean }>,
  report: { issued(checkpoint: StoredCheckpoint): void; failed(error: unknown): void },
  clock: () => number = Date.now,
): () => void {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const next = () => {
    if (stopped) return;
    timer = setTimeout(async () => {
      try {
        const { checkpoint, issued } = await issue();
        if (issued) report.issued(checkpoint);
      } catch (error) {
        report.failed(error);
      }
      next();
    }, untilNextHour(clock()));
    timer.unref();
  };
  next();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
