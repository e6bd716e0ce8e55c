/**
 * `yingpan verify` finds an evidence file that is missing from the file store, or whose bytes were
 * altered: the log holds each file's SHA-256 (EvidenceAttached), the store keeps it by that name.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openRuntime } from '@yingpan/api/runtime';
import { FolderFileStore, prepareEvidence } from '@yingpan/files';
import { photoWithGps } from '@yingpan/files/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCounty, seedStation, staff } from '../../domain/test/station/county.ts';
import { yingpan } from './yingpan.ts';

describe('yingpan verify and the evidence files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'yingpan-cli-evidence-'));
  const env = { YINGPAN_DATA_DIR: path.join(dir, 'pglite'), YINGPAN_FILES_DIR: path.join(dir, 'files') };
  let sha256: string;
  let kept: Buffer;

  beforeAll(async () => {
    const runtime = await openRuntime({ dataDir: env.YINGPAN_DATA_DIR, filesDir: env.YINGPAN_FILES_DIR });
    try {
      const domain = { bus: runtime.commands } as never;
      const county = await seedCounty(domain);
      const stationId = await seedStation(domain, county);
      const receptionId = randomUUID();
      await runtime.commands.execute(
        'RecordVoterReception',
        { stationId, receptionId, date: '2022-03-16', votersReceived: 9, topics: ['饮水'], deputies: [{ recordId: randomUUID(), ...county.deputy }] },
        staff(),
      );
      const photo = await prepareEvidence(await photoWithGps(), '接待现场.jpg');
      sha256 = await runtime.files.put(photo.bytes);
      kept = photo.bytes;
      await runtime.commands.execute(
        'AttachEvidence',
        {
          streamId: `station:${stationId}`,
          subject: { kind: 'reception', id: receptionId },
          file: { sha256, mediaType: photo.mediaType, size: photo.size, name: '接待现场.jpg', width: photo.width, height: photo.height },
        },
        staff(),
      );
    } finally {
      await runtime.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes with the file kept, and names a file altered or missing with exit 1', async () => {
    const intact = await yingpan(env, 'verify');
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain('Evidence files: the 1 the log names are kept');

    const file = path.join(env.YINGPAN_FILES_DIR, 'sha256', sha256.slice(0, 2), sha256);
    writeFileSync(file, Buffer.concat([kept.subarray(0, 100), Buffer.from([kept[100]! ^ 1]), kept.subarray(101)]));
    const altered = await yingpan(env, 'verify');
    expect(altered.code).toBe(1);
    expect(altered.stderr).toContain(`被改动 altered  ${sha256}  «接待现场.jpg»`);

    unlinkSync(file);
    const missing = await yingpan(env, 'verify');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`缺失 missing  ${sha256}`);

    // Restored from a copy, the log verifies again.
    await new FolderFileStore(env.YINGPAN_FILES_DIR).put(kept);
    expect((await yingpan(env, 'verify')).code).toBe(0);
  });

  it('an export carries the files beside the bundle; verify --bundle checks them; import-log brings them to the new county', async () => {
    const bundle = path.join(dir, 'county.bundle');
    const exported = await yingpan(env, 'export', '--out', bundle);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('Evidence files: 1 of 1 copied');
    const checked = await yingpan({}, 'verify', '--bundle', bundle);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('Evidence files: the 1 the bundle names are beside it');

    const moved = { YINGPAN_DATA_DIR: path.join(dir, 'moved', 'pglite'), YINGPAN_FILES_DIR: path.join(dir, 'moved', 'files') };
    expect((await yingpan(moved, 'import-log', bundle)).code).toBe(0);
    expect(await new FolderFileStore(moved.YINGPAN_FILES_DIR).get(sha256)).toEqual(kept);
    const there = await yingpan(moved, 'verify');
    expect(there.code).toBe(0);
    expect(there.stdout).toContain('Evidence files: the 1 the log names are kept');

    // A file in the auditor's copy changed by one bit is caught with no database.
    const copy = path.join(`${bundle}.files`, 'sha256', sha256.slice(0, 2), sha256);
    writeFileSync(copy, Buffer.concat([kept.subarray(0, 100), Buffer.from([kept[100]! ^ 1]), kept.subarray(101)]));
    const tampered = await yingpan({}, 'verify', '--bundle', bundle);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain(`被改动 altered  ${sha256}`);
  });
});
