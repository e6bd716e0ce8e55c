/**
 * Publishing the log's checkpoints, in Chromium: an auditor signs one on /audit (and a second
 * click, with nothing appended, signs nothing new); then anyone — not signed in — follows the link
 * on the public page to 日志检查点 and finds that checkpoint as printable text, as a QR code, the
 * key that signs it, and the history. The note shown verifies with the published key alone.
 */
import path from 'node:path';
import { openCheckpoint, verifierFromKey } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser, fullPageShot } from './browser';
import { WEB_DIR, gqlThrough, signIn } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');

describe('publishing checkpoints', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    expect(pageErrors).toEqual([]);
  });

  it('an auditor signs a checkpoint on /audit; the public reads it as text and a QR code, and it verifies with the published key', async () => {
    const auditorContext = await browser!.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await signIn(auditorContext, webUrl, { role: 'auditor' });
    const audit = await auditorContext.newPage();
    audit.on('pageerror', (error) => pageErrors.push(error.message));
    await audit.goto(`${webUrl}/audit`);
    await audit.getByTestId('issue-checkpoint').click();
    const issued = audit.getByTestId('checkpoint-issued');
    await issued.waitFor();
    const id = Number(await issued.getAttribute('data-id'));
    expect(await issued.textContent()).toMatch(new RegExp(`^已签发第 ${id} 号检查点，含 [\\d,]+ 条记录。$`));
    // Nothing appended since: a second click signs nothing new and names the same checkpoint.
    await audit.getByTestId('issue-checkpoint').click();
    await audit.getByTestId('checkpoint-unchanged').waitFor();
    expect(await audit.getByTestId('checkpoint-unchanged').getAttribute('data-id')).toBe(String(id));
    await auditorContext.close();

    // Anyone, not signed in.
    const context = await browser!.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${webUrl}/public`);
    await page.getByTestId('public-checkpoints-link').click();
    await page.waitForURL(/\/public\/checkpoints$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('日志检查点');

    const { latestCheckpoint, checkpointPublicKey } = await gqlThrough(
      webUrl,
      undefined,
      '{ latestCheckpoint { id note treeSize } checkpointPublicKey { verifierKey origin } }',
    );
    expect(latestCheckpoint.id).toBe(id);
    const note = await page.getByTestId('checkpoint-note').textContent();
    expect(note).toBe(latestCheckpoint.note);
    expect(await page.getByTestId('verifier-key').textContent()).toBe(checkpointPublicKey.verifierKey);
    // What the page shows is enough: the note verifies with the key shown beside it, and names the tree it signs.
    const opened = openCheckpoint(note!, [verifierFromKey((await page.getByTestId('verifier-key').textContent())!)], checkpointPublicKey.origin);
    expect(opened.treeSize).toBe(latestCheckpoint.treeSize);
    expect(await page.getByTestId('latest-meta').textContent()).toContain(`第 ${id} 号`);
    await page.getByTestId('checkpoint-qr').locator('svg').waitFor();
    expect(await page.getByTestId('checkpoint-qr').locator('svg path').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('checkpoint-row').first().getAttribute('data-id')).toBe(String(id));
    await fullPageShot(page, path.join(SCREENSHOTS, 'checkpoints.png'));
    await context.close();
  });
});
