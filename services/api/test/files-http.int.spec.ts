/**
 * Evidence files over HTTP against a real store: a clerk uploads a phone photo (with GPS in its
 * EXIF) in parts and attaches it to a voter reception; the kept file has no GPS and is the file the
 * event's hash names; who may fetch it follows who may see the reception.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '@yingpan/api/app';
import { openRuntime, type Runtime } from '@yingpan/api/runtime';
import { testTargets } from '@yingpan/db/testing';
import { sha256Of } from '@yingpan/files';
import { gpsOf, photoWithGps } from '@yingpan/files/testing';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCounty, seedStation, staff, type County } from '../../domain/test/station/county.ts';

const PART = 256 * 1024;

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`evidence files over HTTP on ${target.name}`, () => {
    let runtime: Runtime;
    let server: Server;
    let base: string;
    let dispose: () => Promise<void>;
    let county: County;
    let stationId: string;
    let otherDeputy: string;
    const receptionId = randomUUID();
    const token = (role: 'staff' | 'deputy' | 'auditor' | 'committee-member', personId?: string) => runtime.tokens.mint({ role, personId });
    const as = async (role: Parameters<typeof token>[0], personId?: string) => ({ authorization: `Bearer ${await token(role, personId)}` });

    async function upload(bytes: Buffer, query: string, headers: Record<string, string>): Promise<Response> {
      const id = randomUUID();
      const parts = Math.ceil(bytes.length / PART);
      for (let index = 0; index < parts; index++) {
        const put = await fetch(`${base}/files/uploads/${id}/${index}?parts=${parts}&size=${bytes.length}`, {
          method: 'PUT',
          headers,
          body: new Uint8Array(bytes.subarray(index * PART, (index + 1) * PART)),
        });
        expect(put.status).toBe(204);
      }
      return fetch(`${base}/files/uploads/${id}/attach?${query}`, { method: 'POST', headers });
    }
    const reception = () => `stream=${encodeURIComponent(`station:${stationId}`)}&kind=reception&subject=${receptionId}`;
    const subjectPath = () => `${base}/files/station:${stationId}/reception/${receptionId}`;

    beforeAll(async () => {
      const opened = await target.open();
      dispose = opened.dispose;
      runtime = await openRuntime({ dataDir: 'unused' }, opened.db);
      const domain = { bus: runtime.commands } as never;
      county = await seedCounty(domain);
      stationId = await seedStation(domain, county);
      // A deputy of another station.
      const other = await seedCounty(domain);
      await seedStation(domain, other);
      otherDeputy = other.deputy.personId;
      await runtime.commands.execute(
        'RecordVoterReception',
        { stationId, receptionId, date: '2022-03-16', votersReceived: 12, topics: ['农村道路维修'], deputies: [{ recordId: randomUUID(), ...county.deputy }] },
        staff(),
      );
      server = createHttpServer(runtime);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve));
      await runtime?.close();
      await dispose?.();
    });

    it('a clerk attaches a phone photo to a reception: the event holds the hash of the kept file, which has no GPS', async () => {
      const photo = await photoWithGps({ width: 2000, height: 1500 });
      expect(await gpsOf(photo)).not.toBeNull();
      const answer = await upload(photo, `${reception()}&name=${encodeURIComponent('接待现场.jpg')}`, await as('staff'));
      expect(answer.status).toBe(200);
      const { file } = (await answer.json()) as { file: { sha256: string; mediaType: string; name: string } };
      expect(file).toMatchObject({ mediaType: 'image/jpeg', name: '接待现场.jpg' });

      const events = (await runtime.store.readStream(`station:${stationId}`)).filter((event) => event.type === 'EvidenceAttached');
      expect(events.map((event) => (event.data as { file: { sha256: string } }).file.sha256)).toEqual([file.sha256]);

      const fetched = await fetch(`${subjectPath()}/${file.sha256}`, { headers: await as('staff') });
      expect(fetched.status).toBe(200);
      const kept = Buffer.from(await fetched.arrayBuffer());
      expect(sha256Of(kept)).toBe(file.sha256);
      expect(await gpsOf(kept)).toBeNull();
      const thumbnail = await fetch(`${subjectPath()}/${file.sha256}/thumbnail`, { headers: await as('staff') });
      expect(thumbnail.headers.get('content-type')).toBe('image/webp');

      const list = (await (await fetch(subjectPath(), { headers: await as('staff') })).json()) as { evidence: { sha256: string; name: string }[] };
      expect(list.evidence).toMatchObject([{ sha256: file.sha256, name: '接待现场.jpg' }]);
    });

    it('the deputy who led the reception and an auditor fetch it; a deputy of another station, a committee member and the public cannot', async () => {
      const { evidence } = (await (await fetch(subjectPath(), { headers: await as('staff') })).json()) as { evidence: { sha256: string }[] };
      const address = `${subjectPath()}/${evidence[0]!.sha256}`;
      expect((await fetch(address, { headers: await as('deputy', county.deputy.personId) })).status).toBe(200);
      expect((await fetch(address, { headers: await as('auditor') })).status).toBe(200);
      const refused = await fetch(address, { headers: await as('deputy', otherDeputy) });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { zh: string } }).error.zh).toContain('无权查看');
      expect((await fetch(subjectPath(), { headers: await as('deputy', otherDeputy) })).status).toBe(403);
      expect((await fetch(address, { headers: await as('committee-member', randomUUID()) })).status).toBe(403);
      // A reception that is not there, or a file that is not among the reception's: 404.
      expect((await fetch(`${base}/files/station:${stationId}/reception/${randomUUID()}`, { headers: await as('staff') })).status).toBe(404);
      expect((await fetch(`${subjectPath()}/${'0'.repeat(64)}`, { headers: await as('staff') })).status).toBe(404);
      expect((await fetch(address)).status).toBe(401);
    });

    it('a text file named .jpg, a file over 20 MB and a reception that is not there are refused in Chinese, and nothing is written', async () => {
      const head = await runtime.store.head();
      const text = await upload(Buffer.from('这不是照片'), `${reception()}&name=a.jpg`, await as('staff'));
      expect(text.status).toBe(422);
      expect(((await text.json()) as { error: { zh: string } }).error.zh).toContain('只接受照片');
      const big = await fetch(`${base}/files/uploads/${randomUUID()}/0?parts=81&size=${21 * 1024 * 1024}`, {
        method: 'PUT',
        headers: await as('staff'),
        body: 'x',
      });
      expect(big.status).toBe(413);
      expect(((await big.json()) as { error: { zh: string } }).error.zh).toContain('文件过大');
      const nowhere = await upload(
        await photoWithGps(),
        `stream=${encodeURIComponent(`station:${stationId}`)}&kind=reception&subject=${randomUUID()}&name=a.jpg`,
        await as('staff'),
      );
      expect(nowhere.status).toBe(422);
      expect(((await nowhere.json()) as { error: { zh: string } }).error.zh).toContain('找不到');
      const stranger = await upload(await photoWithGps({ colour: '#123456' }), `${reception()}&name=b.jpg`, await as('deputy', otherDeputy));
      expect(stranger.status).toBe(422);
      expect(await runtime.store.head()).toEqual(head);
    });
  });
}
