/**
 * 佐证材料 from the pages. A clerk opens a station's reception book, opens the newest reception's
 * 佐证材料 and uploads a photo of the reception (a real PNG built here), watches it go up and sees
 * its thumbnail; the book then counts it. The deputy who led the reception opens the same book on a
 * phone (390×844) and sees the photo, with nothing wider than the screen. A deputy of another
 * station sees no 佐证材料 on that row, and fetching the photo's address through the web answers 403.
 * A deputy who declares an act on a phone attaches a signed sheet (a PDF) from the form's confirmation;
 * the clerk reviewing it sees it in the review queue.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser } from './browser';
import { gqlThrough, mintToken, signIn, TODAY, WEB_DIR } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');
const PHONE = { width: 390, height: 844 };

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real PNG photo stand-in: a sky-to-field gradient with a red banner (what a reception photo might show). */
function receptionPhoto(width = 800, height = 600): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3); // filter byte 0, then RGB
    for (let x = 0; x < width; x++) {
      const banner = y > height * 0.2 && y < height * 0.35 && x > width * 0.15 && x < width * 0.85;
      const sky = y < height * 0.6;
      const [r, g, b] = banner ? [200, 30, 40] : sky ? [120, 170, 230 - Math.round((y / height) * 60)] : [60, 140 + Math.round((x / width) * 40), 60];
      row[1 + x * 3] = r;
      row[2 + x * 3] = g;
      row[3 + x * 3] = b;
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page PDF, as a scanner would save a signed sheet (its type is read from its bytes). */
function signedSheet(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    '<< /Length 44 >>\nstream\nBT /F1 24 Tf 100 700 Td (Signed) Tj ET\nendstream',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

interface Reception {
  receptionId: string;
  heldOn: string;
  lead: { personId: string; name: string };
  deputies: { personId: string }[];
}

describe('佐证材料 on a voter reception, from the pages', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  let staffToken: string;
  let stationId = '';
  let reception: Reception;
  let stranger = '';
  let photoUrl = '';
  let thumbnailUrl = '';
  const pageErrors: string[] = [];

  const gql = <T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> => gqlThrough<T>(webUrl, staffToken, query, variables);

  async function open(viewport: { width: number; height: number }, options: Parameters<typeof signIn>[2]): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await signIn(context, webUrl, options);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return { context, page };
  }

  /** The reception's row in the station's reception book (newest first: ours is the first). */
  async function receptionRow(page: Page) {
    await page.goto(`${webUrl}/stations/${stationId}`);
    const rows = page.getByTestId('book-panel-receptions').getByTestId('book-row');
    await rows.first().waitFor();
    expect(await rows.first().locator('td').first().textContent()).toBe(reception.heldOn);
    return rows.first();
  }

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    staffToken = await mintToken({ role: 'staff' });
    const { stations } = await gql('{ stations(first: 50) { edges { node { stationId counts { receptions } } } } }');
    const nodes = stations.edges.map((edge: { node: any }) => edge.node) as { stationId: string; counts: { receptions: number } }[];
    const station = nodes.find((node) => node.counts.receptions > 0);
    expect(station, 'a station that held receptions').toBeDefined();
    stationId = station!.stationId;
    const { stationBooks } = await gql(
      'query($s: ID!) { stationBooks(stationId: $s) { receptions(first: 1, order: NEWEST_FIRST) { edges { node { receptionId heldOn lead { personId name } deputies { personId } } } } } }',
      { s: stationId },
    );
    reception = stationBooks.receptions.edges[0].node;
    const concerned = new Set([reception.lead.personId, ...reception.deputies.map((deputy) => deputy.personId)]);
    // A deputy on the roster of another station, whom the reception does not concern.
    for (const other of nodes.filter((node) => node.stationId !== stationId)) {
      const { stationBooks: books } = await gql('query($s: ID!) { stationBooks(stationId: $s) { roster { personId } } }', { s: other.stationId });
      stranger = (books?.roster ?? []).map((entry: { personId: string }) => entry.personId).find((id: string) => !concerned.has(id)) ?? '';
      if (stranger) break;
    }
    expect(stranger, 'a deputy of another station').not.toBe('');
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('a clerk uploads a photo of the reception and sees its thumbnail; the book counts it', async () => {
    const { context, page } = await open({ width: 1280, height: 1000 }, { role: 'staff' });
    const row = await receptionRow(page);
    await row.getByTestId('evidence-open').click();
    const dialog = page.getByTestId('evidence-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('evidence-none').textContent()).toContain('尚无佐证材料');
    expect(await dialog.locator('label').filter({ hasText: '上传照片或扫描件' }).count()).toBe(1);

    await dialog.getByTestId('evidence-input').setInputFiles({ name: '接待现场.png', mimeType: 'image/png', buffer: receptionPhoto() });
    await dialog.getByTestId('evidence-uploaded').waitFor({ timeout: 60_000 });
    expect(await dialog.getByTestId('evidence-uploaded').textContent()).toContain('接待现场.png');
    expect(await dialog.getByTestId('evidence-error').count()).toBe(0);

    // The thumbnail is the kept photo's, served through the web: it loads as an image.
    const thumbnail = dialog.getByTestId('evidence-thumbnail');
    await thumbnail.waitFor();
    await expect.poll(() => thumbnail.evaluate((image) => (image as HTMLImageElement).naturalWidth), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await thumbnail.getAttribute('alt')).toBe('接待现场.png');
    thumbnailUrl = (await thumbnail.getAttribute('src')) ?? '';
    photoUrl = (await dialog.getByTestId('evidence-file').getAttribute('href')) ?? '';
    expect(photoUrl).toMatch(new RegExp(`^/files/station:${stationId}/reception/${reception.receptionId}/[0-9a-f]{64}$`));
    expect(thumbnailUrl).toBe(`${photoUrl}/thumbnail`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'evidence-staff.png') });

    // The photo itself opens through the web: the kept image, not the page.
    const fetched = await context.request.get(`${webUrl}${photoUrl}`);
    expect(fetched.status()).toBe(200);
    expect(fetched.headers()['content-type']).toMatch(/^image\//);

    await dialog.getByTestId('evidence-close').click();
    // Shown again, the book lists it from the read model.
    await expect
      .poll(
        async () => {
          const again = await receptionRow(page);
          return again.getByTestId('evidence-open').getAttribute('data-count');
        },
        { timeout: 60_000 },
      )
      .toBe('1');
    await context.close();
  });

  it('the deputy who led it sees the photo on a phone, within the screen', async () => {
    const { context, page } = await open(PHONE, { role: 'deputy', personId: reception.lead.personId });
    const row = await receptionRow(page);
    await row.getByTestId('evidence-open').click();
    const dialog = page.getByTestId('evidence-dialog');
    const thumbnail = dialog.getByTestId('evidence-thumbnail');
    await thumbnail.waitFor();
    await expect.poll(() => thumbnail.evaluate((image) => (image as HTMLImageElement).naturalWidth), { timeout: 30_000 }).toBeGreaterThan(0);
    const box = await dialog.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'evidence-deputy-phone.png') });
    await context.close();
  });

  it('a deputy of another station sees no 佐证材料 on the row and cannot fetch the photo (403)', async () => {
    const { context, page } = await open(PHONE, { role: 'deputy', personId: stranger });
    const row = await receptionRow(page);
    expect(await row.getByTestId('evidence-open').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    for (const address of [photoUrl, thumbnailUrl]) {
      const refused = await context.request.get(`${webUrl}${address}`);
      expect(refused.status(), address).toBe(403);
      expect(((await refused.json()) as { error: { zh: string } }).error.zh).toContain('无权查看');
    }
    // Without signing in, nothing either.
    expect((await fetch(`${webUrl}${photoUrl}`)).status).toBe(401);
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  it('a deputy declares an act on a phone and attaches a signed sheet from the confirmation; the reviewing clerk sees it', async () => {
    const { peopleConnection } = await gql('{ peopleConnection(first: 100) { edges { node { personId name mandates { kind startsOn validTo } } } } }');
    const deputy = (peopleConnection.edges as { node: { personId: string; mandates: { kind: string; startsOn: string; validTo: string | null }[] } }[])
      .map((edge) => edge.node)
      .find((person) => {
        const running = person.mandates.filter((seat) => seat.startsOn <= TODAY && !seat.validTo);
        return running.length === 1 && running[0]!.kind === 'DEPUTY';
      });
    expect(deputy, 'a deputy with one seat').toBeDefined();
    const { context, page } = await open(PHONE, { role: 'deputy', personId: deputy!.personId });
    await page.goto(`${webUrl}/record`);
    await page.getByTestId('choose-practical-help').click();
    const form = page.getByTestId('form-practical-help');
    await expect.poll(() => form.getByTestId('chosen-person').getAttribute('data-person')).toBe(deputy!.personId);
    await form.getByTestId('input-act').selectOption('DISPUTE_MEDIATION');
    await form.getByTestId('input-summary').fill('调解邻里排水沟纠纷，双方签字确认');
    await form.getByTestId('input-beneficiaries').fill('2');
    await form.getByTestId('submit').click();
    const evidence = form.getByTestId('confirmation-evidence');
    await evidence.waitFor({ timeout: 60_000 });
    await evidence.getByTestId('evidence-open').click();
    const dialog = page.getByTestId('evidence-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('evidence-input').setInputFiles({ name: '调解协议书.pdf', mimeType: 'application/pdf', buffer: signedSheet() });
    await dialog.getByTestId('evidence-uploaded').waitFor({ timeout: 60_000 });
    expect(await dialog.getByTestId('evidence-error').count()).toBe(0);
    const file = dialog.getByTestId('evidence-file');
    expect(await file.textContent()).toContain('PDF');
    expect(await dialog.textContent()).toContain('调解协议书.pdf');
    expect(await evidence.getByTestId('evidence-open').getAttribute('data-count')).toBe('1');
    // The scan opens for the deputy who declared it, as it was sent.
    const opened = await context.request.get(`${webUrl}${await file.getAttribute('href')}`);
    expect(opened.status()).toBe(200);
    expect(opened.headers()['content-type']).toBe('application/pdf');
    expect(
      Buffer.from(await opened.body())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'evidence-declaration-phone.png') });
    await context.close();

    // The clerk reviewing the declaration sees its evidence in the queue.
    const clerk = await open({ width: 1280, height: 1000 }, { role: 'staff' });
    await clerk.page.goto(`${webUrl}/record`);
    const row = clerk.page.getByTestId('review-row').filter({ hasText: '调解邻里排水沟纠纷' });
    await row.waitFor({ timeout: 60_000 });
    await expect.poll(() => row.getByTestId('evidence-open').getAttribute('data-count'), { timeout: 30_000 }).toBe('1');
    await row.getByTestId('evidence-open').click();
    expect(await clerk.page.getByTestId('evidence-dialog').textContent()).toContain('调解协议书.pdf');
    await clerk.context.close();
    expect(pageErrors).toEqual([]);
  });
});
