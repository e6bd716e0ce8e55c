/**
 * The auditor's kit over HTTP (`GET /kit`) on the demo county: an auditor downloads a station's
 * books for a year and a deputy's record for a term, as JSON and as the offline page, and both
 * check with only the published key; an administrator's kit holds voters' data by hash only; the
 * latest checkpoint is reused while it covers the selection and a new one is signed only when
 * none does; other roles are refused, and a selection that cannot be met is answered in Chinese.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { checkKit, verifierFromKey, verifierKeyOf, type AuditKit } from '@yingpan/event-store';
import { openCountyImage } from '@yingpan/projections/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../src/app.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';

/** The file name a Content-Disposition gives in RFC 5987's `filename*`. */
const fileNameOf = (disposition: string | null) => decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(disposition ?? '')?.[1] ?? '');

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`the auditor's kit over HTTP on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let server: Server;
    let base: string;
    let station: { id: string; name: string };
    let deputy: string;
    const tokens: Record<string, string> = {};

    const get = (query: string, role?: string) => fetch(`${base}/kit?${query}`, { headers: role ? { authorization: `Bearer ${tokens[role]}` } : {} });
    const check = (kit: unknown) => checkKit(kit, verifierFromKey(verifierKeyOf(runtime.transparency.signer)), runtime.transparency.origin);
    const kept = async () => (await runtime.transparency.log!.checkpoints({ limit: 1000 })).length;
    const refusal = async (response: Response) => ((await response.json()) as { error: { zh: string } }).error.zh;

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      const { rows } = await testDb.db.query<{ id: string; name: string }>(
        `SELECT s.data->>'stationId' AS id, s.data->>'name' AS name FROM yingpan.events s
          WHERE s.type = 'StationEstablished'
            AND EXISTS (SELECT 1 FROM yingpan.events o WHERE o.type = 'OpinionRegistered' AND o.data->>'stationId' = s.data->>'stationId'
                                                         AND o.data->>'registeredOn' LIKE '2025-%')
          ORDER BY 2 LIMIT 1`,
      );
      station = rows[0]!;
      deputy = (
        await testDb.db.query<{ id: string }>(
          `SELECT data->>'personId' AS id FROM yingpan.events WHERE type = 'StationVisitRecorded' AND data->>'date' BETWEEN '2017-01-01' AND '2020-12-31'
            ORDER BY position LIMIT 1`,
        )
      ).rows[0]!.id;
      tokens.auditor = await runtime.tokens.mint({ role: 'auditor' });
      tokens.admin = await runtime.tokens.mint({ role: 'admin' });
      tokens.staff = await runtime.tokens.mint({ role: 'staff' });
      tokens.deputy = await runtime.tokens.mint({ role: 'deputy', personId: deputy });
      server = createHttpServer(runtime);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }, 300_000);

    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve));
      await runtime?.close();
      await testDb?.dispose();
    });

    it('an auditor downloads a station’s books for a year as JSON, named in Chinese, voters’ data enclosed, and checkKit accepts it', async () => {
      const response = await get(`station=${station.id}&year=2025&format=json`, 'auditor');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-kit.json"; filename\*=UTF-8''[%0-9A-Za-z._-]+$/);
      expect(fileNameOf(response.headers.get('content-disposition'))).toBe(`${station.name} · 2025年台账 · 核验包.json`);
      const kit = (await response.json()) as AuditKit;
      expect(kit.selection).toMatchObject({ kind: 'station', id: station.id, name: station.name });
      expect(kit.entries.length).toBeGreaterThan(10);
      // An auditor may read voters' data: every entry encloses its event and is rehashed.
      expect(kit.entries.every((entry) => entry.event !== undefined)).toBe(true);
      expect(kit.entries.some((entry) => entry.event!.type === 'OpinionRegistered')).toBe(true);
      const result = check(kit);
      expect(result.ok, result.ok ? '' : result.reason).toBe(true);
      expect(result.entries.every((entry) => entry.checked === 'content')).toBe(true);
    });

    it('an administrator’s kit carries voters’ data by hash only, and still checks', async () => {
      const response = await get(`station=${station.id}&year=2025&format=json`, 'admin');
      expect(response.status).toBe(200);
      const kit = (await response.json()) as AuditKit;
      const withheld = kit.entries.filter((entry) => entry.withheld);
      expect(withheld.length).toBeGreaterThan(0);
      expect(JSON.stringify(withheld.map((entry) => entry.withheld!.data))).toContain('"withheld":true');
      const result = check(kit);
      expect(result.ok, result.ok ? '' : result.reason).toBe(true);
      expect(result.entries.filter((entry) => entry.checked === 'hash-only')).toHaveLength(withheld.length);
    });

    it('the offline page of a deputy’s term encloses a kit that checks; one changed byte in it does not', async () => {
      const response = await get(`person=${deputy}&term=17`, 'auditor');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const name = fileNameOf(response.headers.get('content-disposition'));
      expect(name).toMatch(/^\S{2,4} · 第十七届履职记录 · 核验包\.html$/);
      const html = await response.text();
      const json = /<script id="kit" type="application\/json">([^<]*)<\/script>/.exec(html)![1]!;
      const kit = JSON.parse(json) as AuditKit;
      expect(kit.title).toBe(name.replace(/ · 核验包\.html$/, ''));
      expect(check(kit).ok).toBe(true);
      const entry = kit.entries.find((each) => typeof (each.event?.data as { date?: string } | undefined)?.date === 'string')!;
      const data = entry.event!.data as { date: string };
      data.date = data.date.replace(/\d$/, (digit) => String((Number(digit) + 1) % 10));
      const forged = check(kit);
      expect(forged.ok).toBe(false);
      expect(forged.entries.filter((each) => !each.ok).map((each) => each.position)).toEqual([entry.position]);
    });

    it('proves in the latest checkpoint while it covers the selection, and signs a new one only when none does', async () => {
      const first = (await (await get(`station=${station.id}&year=2025&format=json`, 'auditor')).json()) as AuditKit;
      const count = await kept();
      const latest = await runtime.transparency.log!.latestCheckpoint();
      expect(first.treeSize).toBe(latest!.treeSize);
      // Asked again: the same checkpoint, nothing written.
      const again = (await (await get(`station=${station.id}&year=2025&format=json`, 'auditor')).json()) as AuditKit;
      expect(again.checkpoint).toBe(first.checkpoint);
      expect(await kept()).toBe(count);

      // An event of the station's year appended after it: no checkpoint covers the selection now.
      await runtime.store.append({
        streamId: `training:${randomUUID()}`,
        expectedVersion: 'no_stream',
        events: [
          {
            id: randomUUID(),
            type: 'Noted',
            schemaVersion: 1,
            data: { stationId: station.id, date: '2025-12-30' },
            metadata: {
              recordedBy: { personId: 'staff-1', role: 'staff' },
              occurredAt: '2025-12-30T02:00:00.000Z',
              correlationId: randomUUID(),
              causationId: null,
            },
          },
        ],
      });
      const head = (await runtime.store.head()).position;
      const grown = (await (await get(`station=${station.id}&year=2025&format=json`, 'auditor')).json()) as AuditKit;
      expect(await kept()).toBe(count + 1);
      expect(grown.treeSize).toBe(head);
      expect(grown.entries.at(-1)!.position).toBe(head);
      expect(check(grown).ok).toBe(true);
      // A selection the older checkpoint still covers keeps using the latest (now the new one): nothing more is written.
      expect((await get(`person=${deputy}&term=17&format=json`, 'auditor')).status).toBe(200);
      expect(await kept()).toBe(count + 1);
    });

    it('refuses deputies, clerks and the public', async () => {
      const query = `station=${station.id}&year=2025&format=json`;
      const deputyAnswer = await get(query, 'deputy');
      expect(deputyAnswer.status).toBe(403);
      expect(await refusal(deputyAnswer)).toBe('只有审计员和系统管理员可以下载核验包');
      expect((await get(query, 'staff')).status).toBe(403);
      const publicAnswer = await get(query);
      expect(publicAnswer.status).toBe(401);
      expect(await refusal(publicAnswer)).toContain('请先');
    });

    it('answers a selection that cannot be met in Chinese, saying what to choose', async () => {
      const cases: [string, number, string][] = [
        [`person=${randomUUID()}&term=17`, 404, '档案中没有所选的人员，请从列表中重新选择'],
        [`person=${deputy}`, 400, '请选择届次'],
        [`person=${deputy}&term=42`, 404, '档案中没有第四十二届，请重新选择届次'],
        [`station=${station.id}&year=1990`, 404, `${station.name}在1990年没有任何记录，无需核验`],
        [`station=${station.id}&year=abc`, 400, '请选择年度（如 2025）'],
        [`person=${deputy}&term=17&station=${station.id}&year=2025`, 400, '请选择一位人员和届次，或一个家站和年度（二者选一）'],
        ['person=张三&term=17', 400, '所选的人员无效，请从列表中重新选择'],
        [`station=${station.id}&year=2025&format=pdf`, 400, '格式应为离线核验页（html）或数据文件（json）'],
      ];
      for (const [query, status, zh] of cases) {
        const response = await get(query, 'auditor');
        expect([query, response.status]).toEqual([query, status]);
        expect(await refusal(response)).toBe(zh);
      }
    });
  });
}
