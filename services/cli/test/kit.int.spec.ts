/**
 * `yingpan kit` and `verify-kit`, and the kit's offline page in Chromium: a station's books for a
 * year and a person's record for a term, exported from a seeded county, check with only the
 * published key; voters' personal data is withheld (hash only) unless asked for; one changed byte
 * of an enclosed event, a proof hash or the checkpoint is refused, naming the entry — by the
 * command and by the page opened from disk with no server.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDb, type DbConfig } from '@yingpan/db';
import { createTestDatabase, testTargets } from '@yingpan/db/testing';
import { SqlEventStore, type AuditKit } from '@yingpan/event-store';
import { seedCountyFixture } from '@yingpan/seed/fixture';
import { testChromium } from '@yingpan/test-config/chromium';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yingpan } from './yingpan.ts';

/** Debian's Chromium: its headless shell where installed, else the browser, as for the web's end-to-end tests. */
const CHROMIUM = testChromium();
/** Seeding a county and running the command line several times, each a process of its own. */
const SLOW = 600_000;

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`yingpan kit and verify-kit on ${target.name}`, () => {
    let dir: string;
    let env: Record<string, string>;
    let config: DbConfig;
    let cleanup: () => Promise<void> = async () => {};
    let key: string;
    let station: string;
    let person: string;
    let browser: Browser | null = null;

    const file = (name: string, text: string) => {
      const at = path.join(dir, name);
      writeFileSync(at, text);
      return at;
    };
    const readKit = (at: string) => JSON.parse(readFileSync(at, 'utf8')) as AuditKit;
    /** The page's verdict and its failing rows' positions, opened from disk with the network cut off. */
    const pageVerdict = async (html: string) => {
      browser ??= await chromium.launch({ executablePath: CHROMIUM });
      const context = await browser.newContext({ offline: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(pathToFileURL(html).href);
      const verdict = page.locator('#verdict');
      await verdict.filter({ hasNotText: '正在核验' }).waitFor();
      const text = (await verdict.textContent())!;
      const failing = await page.locator('tr:has(td.fail)').evaluateAll((rows) => rows.map((row) => Number((row as HTMLElement).dataset.position)));
      await page.screenshot({ path: path.join(dir, `${path.basename(html)}.png`) });
      await context.close();
      expect(errors).toEqual([]);
      return { text, failing };
    };

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'yingpan-kit-'));
      env = { YINGPAN_CHECKPOINT_KEY_FILE: path.join(dir, 'checkpoint-key'), YINGPAN_CHECKPOINT_ORIGIN: 'county.example/record', YINGPAN_TODAY: '2026-12-04' };
      if (target.name === 'postgres') {
        const { url, drop } = await createTestDatabase(process.env.DATABASE_URL!);
        config = { databaseUrl: url, dataDir: 'unused' };
        env.DATABASE_URL = url;
        cleanup = drop;
      } else {
        config = { dataDir: path.join(dir, 'pglite') };
        env.YINGPAN_DATA_DIR = config.dataDir!;
      }
      const db = await openDb(config);
      try {
        const store = await SqlEventStore.open(db);
        await seedCountyFixture(store, { seed: 7, scale: 'small', today: '2026-12-04' });
        // A station with opinions in 2025 (whose voters' data is withheld), and a deputy of term 17 with acts.
        station = (
          await db.query<{ name: string }>(
            `SELECT s.data->>'name' AS name FROM yingpan.events s
              WHERE s.type = 'StationEstablished'
                AND EXISTS (SELECT 1 FROM yingpan.events o WHERE o.type = 'OpinionRegistered' AND o.data->>'stationId' = s.data->>'stationId'
                                                             AND o.data->>'registeredOn' LIKE '2025-%')
              ORDER BY 1 LIMIT 1`,
          )
        ).rows[0]!.name;
        person = (
          await db.query<{ id: string }>(
            `SELECT data->>'personId' AS id FROM yingpan.events WHERE type = 'StationVisitRecorded' AND data->>'date' BETWEEN '2017-01-01' AND '2020-12-31'
              ORDER BY position LIMIT 1`,
          )
        ).rows[0]!.id;
      } finally {
        await db.close();
      }
      key = (await yingpan(env, 'checkpoint', '--public-key')).stdout.trim();
    }, SLOW);

    afterAll(async () => {
      await browser?.close();
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it(
      'exports a station’s books for a year, voters’ data withheld, and verify-kit and the offline page accept it with only the key',
      async () => {
        const out = path.join(dir, 'station.json');
        const html = path.join(dir, 'station.html');
        const made = await yingpan(env, 'kit', '--station', station, '--year', '2025', '--out', out, '--html', html);
        expect(made.code, made.stderr).toBe(0);
        const kit = readKit(out);
        expect(kit.title).toBe(`${station} · 2025年台账`);
        expect(kit.entries.length).toBeGreaterThan(10);
        // Opinions carry voters' data: withheld, hash only; nothing personal in the file.
        const withheld = kit.entries.filter((entry) => entry.withheld);
        expect(withheld.length).toBeGreaterThan(0);
        expect(withheld.every((entry) => entry.event === undefined && JSON.stringify(entry.withheld!.data).includes('"withheld":true'))).toBe(true);
        expect(kit.entries.filter((entry) => entry.event).every((entry) => JSON.stringify(entry.event!.data).includes(kit.selection.id))).toBe(true);

        const checked = await yingpan({}, 'verify-kit', out, '--key', key);
        expect(checked.code, checked.stderr).toBe(0);
        expect(checked.stdout).toMatch(new RegExp(`OK: all ${kit.entries.length} entries .* ${withheld.length} withheld \\(hash only\\)`));
        const shown = await pageVerdict(html);
        expect(shown.text).toContain(`全部核验通过：${kit.entries.length} 条记录`);
        expect(shown.text).toContain(`其中 ${withheld.length} 条含选民个人信息`);
        expect(shown.failing).toEqual([]);

        // With personal data, every entry encloses its event and rehashes.
        const full = path.join(dir, 'station-full.json');
        expect((await yingpan(env, 'kit', '--station', station, '--year', '2025', '--out', full, '--with-personal-data')).code).toBe(0);
        expect(readKit(full).entries.every((entry) => entry.event !== undefined)).toBe(true);
        expect((await yingpan({}, 'verify-kit', full, '--key', key)).stdout).toContain('each rehashed from its content');
      },
      SLOW,
    );

    it(
      'refuses a kit with one changed byte — in an event, a proof or the checkpoint — naming the entry, in the command and on the page',
      async () => {
        const out = path.join(dir, 'person.json');
        const html = path.join(dir, 'person.html');
        const made = await yingpan(env, 'kit', '--person', person, '--term', '17', '--out', out, '--html', html);
        expect(made.code, made.stderr).toBe(0);
        const kit = readKit(out);
        expect(kit.title).toMatch(/ · 第十七届履职记录$/);
        expect((await yingpan({}, 'verify-kit', out, '--key', key)).code).toBe(0);

        // An act's date moved by one day inside an enclosed event.
        const victim = kit.entries.find((entry) => typeof (entry.event?.data as { date?: string } | undefined)?.date === 'string')!;
        const forged = structuredClone(kit);
        const forgedEntry = forged.entries.find((entry) => entry.position === victim.position)!;
        const data = forgedEntry.event!.data as { date: string };
        data.date = data.date.replace(/\d$/, (digit) => String((Number(digit) + 1) % 10));
        const forgedFile = file('forged.json', JSON.stringify(forged));
        const refused = await yingpan({}, 'verify-kit', forgedFile, '--key', key);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain(`position ${victim.position}: the event enclosed hashes to`);
        expect(refused.stderr).toContain(`REFUSED: 1 of ${kit.entries.length} entries fail`);
        // The same forgery in the page: the page's kit is replaced byte for byte.
        const page = readFileSync(html, 'utf8');
        const forgedPage = file('forged.html', page.replace(JSON.stringify(kit).replace(/</g, '\\u003c'), JSON.stringify(forged).replace(/</g, '\\u003c')));
        expect(readFileSync(forgedPage, 'utf8')).not.toBe(page);
        const shown = await pageVerdict(forgedPage);
        expect(shown.text).toContain('核验未通过');
        expect(shown.failing).toEqual([victim.position]);

        // A proof hash changed.
        const proofForged = structuredClone(kit);
        const hashes = proofForged.entries[0]!.hashes;
        hashes[0] = hashes[0]!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
        const proofRefused = await yingpan({}, 'verify-kit', file('proof.json', JSON.stringify(proofForged)), '--key', key);
        expect(proofRefused.code).toBe(1);
        expect(proofRefused.stderr).toContain(`position ${kit.entries[0]!.position}: inclusion:`);

        // The checkpoint's root changed: its signature no longer holds.
        const checkpointForged = structuredClone(kit);
        const lines = checkpointForged.checkpoint.split('\n');
        lines[2] = lines[2]!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
        checkpointForged.checkpoint = lines.join('\n');
        const signatureRefused = await yingpan({}, 'verify-kit', file('checkpoint.json', JSON.stringify(checkpointForged)), '--key', key);
        expect(signatureRefused.code).toBe(1);
        expect(signatureRefused.stderr).toMatch(/REFUSED: checkpoint: /);

        // Another log's key: refused, whatever the kit itself says its key is.
        const otherKey = path.join(dir, 'other-key');
        const other = (await yingpan({ YINGPAN_CHECKPOINT_KEY_FILE: otherKey }, 'checkpoint', '--public-key')).stdout.trim();
        expect(existsSync(otherKey)).toBe(true);
        const wrongKey = await yingpan({}, 'verify-kit', out, '--key', other);
        expect(wrongKey.code).toBe(1);
        expect(wrongKey.stderr).toMatch(/REFUSED: checkpoint: /);
      },
      SLOW,
    );

    it(
      'says what is missing when a kit cannot be made',
      async () => {
        const out = path.join(dir, 'none.json');
        const unknown = await yingpan(env, 'kit', '--person', '不存在的人', '--term', '17', '--out', out);
        expect(unknown.code).toBe(2);
        expect(unknown.stderr).toContain('no person named or numbered “不存在的人”');
        expect((await yingpan(env, 'kit', '--person', person, '--out', out)).stderr).toContain('--person needs --term <number>');
        expect((await yingpan(env, 'kit', '--person', person, '--term', '42', '--out', out)).stderr).toContain('no term 42 was opened');
        expect(existsSync(out)).toBe(false);
      },
      SLOW,
    );
  });
}
