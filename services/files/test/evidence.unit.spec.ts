import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidenceFileError, FolderFileStore, MAX_EVIDENCE_BYTES, MAX_IMAGE_SIDE, prepareEvidence, sha256Of, THUMBNAIL_SIDE } from '../src/index.ts';
import { gpsOf, photoWithGps, TEST_GPS } from '../src/testing.ts';

/** The smallest PDF a reader opens. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 3 3]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

async function refusal(run: Promise<unknown>): Promise<EvidenceFileError> {
  const error = await run.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EvidenceFileError);
  expect((error as EvidenceFileError).zh).toMatch(/\p{Script=Han}/u);
  return error as EvidenceFileError;
}

describe('an evidence photo', () => {
  it('is kept re-encoded, without the place it was taken, with a thumbnail', async () => {
    const upload = await photoWithGps({ width: 1200, height: 900 });
    const gps = await gpsOf(upload);
    expect(gps).toMatchObject({ GPSLatitude: [...TEST_GPS.latitude], GPSLatitudeRef: 'N' });

    const kept = await prepareEvidence(upload, '接待现场.jpg');
    expect(kept.mediaType).toBe('image/jpeg');
    expect(kept.sha256).toBe(sha256Of(kept.bytes));
    expect(kept.sha256).not.toBe(sha256Of(upload));
    expect(kept.size).toBe(kept.bytes.length);
    expect(await gpsOf(kept.bytes)).toBeNull();
    expect((await sharp(kept.bytes).metadata()).exif).toBeUndefined();
    expect([kept.width, kept.height]).toEqual([1200, 900]);

    const thumbnail = await sharp(kept.thumbnail!).metadata();
    expect(thumbnail.format).toBe('webp');
    expect(Math.max(thumbnail.width, thumbnail.height)).toBe(THUMBNAIL_SIDE);
  });

  it('is turned upright as the camera said, and a very large one is made smaller', async () => {
    // Orientation 6: the camera was turned; the pixels lie on their side.
    const sideways = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#3a6' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const upright = await prepareEvidence(sideways, 'a.jpg');
    expect([upright.width, upright.height]).toEqual([40, 60]);

    const huge = await sharp({ create: { width: 6000, height: 1000, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const smaller = await prepareEvidence(huge, 'scan.png');
    expect(smaller.mediaType).toBe('image/png');
    expect(smaller.width).toBe(MAX_IMAGE_SIDE);
  });

  it('the same photo uploaded twice is the same file', async () => {
    const upload = await photoWithGps();
    expect((await prepareEvidence(upload)).sha256).toBe((await prepareEvidence(upload)).sha256);
  });
});

describe('a file’s type is read from its content, not its name', () => {
  it('a PDF is kept as sent, even named .jpg', async () => {
    const kept = await prepareEvidence(PDF, '签到表.jpg');
    expect(kept).toMatchObject({ mediaType: 'application/pdf', thumbnail: null, size: PDF.length, sha256: sha256Of(PDF) });
  });

  it('a text file named .jpg is refused, saying what it is', async () => {
    const error = await refusal(prepareEvidence(Buffer.from('不是照片，是一段文字'), '照片.jpg'));
    expect(error.code).toBe('unsupported-type');
    expect(error.zh).toContain('「照片.jpg」无法识别文件内容');
  });

  it('a GIF is refused', async () => {
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .gif()
      .toBuffer();
    expect((await refusal(prepareEvidence(gif, 'a.gif'))).zh).toContain('内容是 GIF 文件');
  });

  it('a JPEG cut short is refused as damaged', async () => {
    const photo = await photoWithGps();
    expect((await refusal(prepareEvidence(photo.subarray(0, photo.length / 2), 'cut.jpg'))).code).toBe('unreadable-image');
  });

  it('a HEIC photo is refused with how to save it as JPEG', async () => {
    // The ftyp box of an iPhone photo.
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic'), Buffer.alloc(64)]);
    const error = await refusal(prepareEvidence(heic, 'IMG_0001.HEIC'));
    expect(error.code).toBe('heic');
    expect(error.zh).toContain('兼容性最佳');
  });

  it('a file over the limit is refused with the limit, before it is read', async () => {
    const error = await refusal(prepareEvidence(Buffer.alloc(MAX_EVIDENCE_BYTES + 1), 'big.pdf'));
    expect(error.code).toBe('too-large');
    expect(error.zh).toContain('20.0 MB');
    expect((await refusal(prepareEvidence(Buffer.alloc(0)))).code).toBe('empty');
  });
});

describe('the folder store', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'yingpan-files-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('keeps a file under its hash once, lists it, and finds it missing or altered', async () => {
    const store = new FolderFileStore(root);
    const sha256 = await store.put(PDF);
    expect(sha256).toBe(sha256Of(PDF));
    expect(await store.put(PDF)).toBe(sha256);
    expect(await store.get(sha256)).toEqual(PDF);
    expect(await store.check(sha256)).toBe('ok');
    const listed: string[] = [];
    for await (const each of store.list()) listed.push(each);
    expect(listed).toEqual([sha256]);

    const other = sha256Of(Buffer.from('never kept'));
    expect(await store.get(other)).toBeNull();
    expect(await store.check(other)).toBe('missing');

    await writeFile(path.join(root, 'sha256', sha256.slice(0, 2), sha256), Buffer.concat([PDF, Buffer.from(' ')]));
    expect(await store.check(sha256)).toBe('altered');
    // Putting the right bytes again mends it.
    await store.put(PDF);
    expect(await store.check(sha256)).toBe('ok');
  });

  it('keeps thumbnails beside, and refuses a name that is not a hash', async () => {
    const store = new FolderFileStore(root);
    const sha256 = sha256Of(PDF);
    expect(await store.getThumbnail(sha256)).toBeNull();
    await store.putThumbnail(sha256, Buffer.from('webp'));
    expect((await store.getThumbnail(sha256))?.toString()).toBe('webp');
    await expect(store.get('../../etc/passwd')).rejects.toThrow(TypeError);
  });
});
