/**
 * The `evidence` field where records, receptions and opinions are shown: a station book's
 * receptions and opinions, a mandate's records and one record list their files (name, type, size,
 * time, the addresses of the file and its thumbnail) to those who may see what they prove, and null
 * to everyone else — a deputy of the same station whom a reception does not concern, a deputy of
 * another station, a committee member for a reception. The file address the field gives is the one
 * the API serves the file at.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import type { Role } from '@yingpan/domain';
import { prepareEvidence, sha256Of } from '@yingpan/files';
import { photoWithGps } from '@yingpan/files/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCounty, seedStation, staff, type County } from '../../domain/test/station/county.ts';
import { createApp, createHttpServer } from '../src/app.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { authHeaders, type GraphQLAnswer } from './graphql-client.ts';

interface File {
  name: string;
  mediaType: string;
  size: number;
  attachedAt: string;
  url: string;
  thumbnailUrl: string | null;
}

const FILE = 'evidence { name mediaType size attachedAt url thumbnailUrl }';

const BOOKS = /* GraphQL */ `
  query Books($stationId: ID!) {
    stationBooks(stationId: $stationId) {
      receptions(first: 100) { edges { node { receptionId ${FILE} } } }
      opinions(first: 100) { edges { node { opinionId ${FILE} } } }
    }
  }`;

/** The receptions' files as the station book shows them in a view of the past. */
const BOOKS_AS_OF = /* GraphQL */ `
  query Books($stationId: ID!, $asOf: AsOfInput) {
    stationBooks(stationId: $stationId, asOf: $asOf) {
      receptions(first: 100) { edges { node { receptionId evidence(asOf: $asOf) { name } } } }
    }
  }`;

const HISTORY = /* GraphQL */ `
  query History($mandateId: ID!) {
    predecessorRecord(mandateId: $mandateId) { records(first: 100) { edges { node { recordId ${FILE} } } } }
  }`;

/** One record, for the roles that review and record (actRecord's scope). */
const RECORD = /* GraphQL */ `
  query Record($recordId: ID!) {
    actRecord(recordId: $recordId) { recordId ${FILE} }
  }`;

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`the evidence field on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    let server: Server;
    let base: string;
    let county: County;
    let other: County;
    let stationId: string;
    const receptionId = randomUUID();
    const recordId = randomUUID();
    const opinionId = randomUUID();
    let photoSha: string;

    const ask = async (role: Role, personId: string | undefined, query: string, variables: Record<string, unknown>) => {
      const token = await runtime.tokens.mint({ role, personId });
      const response = await yoga.fetch('http://yoga/graphql', { method: 'POST', headers: authHeaders(token), body: JSON.stringify({ query, variables }) });
      const answer = (await response.json()) as GraphQLAnswer;
      expect(answer.errors).toBeUndefined();
      return answer.data;
    };
    const books = async (role: Role, personId?: string) => {
      const data = await ask(role, personId, BOOKS, { stationId });
      return {
        reception: data.stationBooks.receptions.edges.find((edge: any) => edge.node.receptionId === receptionId).node.evidence as File[] | null,
        opinion: data.stationBooks.opinions.edges.find((edge: any) => edge.node.opinionId === opinionId).node.evidence as File[] | null,
      };
    };
    const history = async (role: Role, personId?: string) => {
      const data = await ask(role, personId, HISTORY, { mandateId: county.deputy.mandateId });
      return data.predecessorRecord.records.edges.find((edge: any) => edge.node.recordId === recordId).node.evidence as File[] | null;
    };
    const record = async (role: Role, personId?: string) => (await ask(role, personId, RECORD, { recordId })).actRecord.evidence as File[] | null;

    beforeAll(async () => {
      testDb = await target.open();
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      const domain = { bus: runtime.commands } as never;
      county = await seedCounty(domain);
      stationId = await seedStation(domain, county);
      other = await seedCounty(domain);
      await seedStation(domain, other);
      await runtime.commands.execute(
        'RecordVoterReception',
        { stationId, receptionId, date: '2022-03-16', votersReceived: 12, topics: ['农村道路维修'], deputies: [{ recordId, ...county.deputy }] },
        staff(),
      );
      await runtime.commands.execute(
        'RegisterOpinion',
        {
          opinionId,
          stationId,
          receptionId,
          receivedByPersonId: county.deputy.personId,
          voter: { name: '王大爷', phone: null, address: null },
          content: '村道坑洼，雨天难行',
          category: '道路交通',
          registeredOn: '2022-03-16',
          deadline: '2022-04-16',
        },
        staff(),
      );
      const kept = await prepareEvidence(await photoWithGps({ width: 1200, height: 900 }), '接待现场.jpg');
      photoSha = await runtime.files.put(kept.bytes);
      if (kept.thumbnail) await runtime.files.putThumbnail(kept.sha256, kept.thumbnail);
      const photo = { sha256: photoSha, mediaType: kept.mediaType, size: kept.size, name: '接待现场.jpg', width: kept.width, height: kept.height };
      const scan = (name: string) => ({
        sha256: sha256Of(Buffer.from(name)),
        mediaType: 'application/pdf' as const,
        size: 2048,
        name,
        width: null,
        height: null,
      });
      const attach = (streamId: string, subject: { kind: string; id: string }, file: object) =>
        runtime.commands.execute('AttachEvidence', { streamId, subject, file }, staff());
      await attach(`station:${stationId}`, { kind: 'reception', id: receptionId }, photo);
      await attach(`station:${stationId}`, { kind: 'reception', id: receptionId }, scan('签到表.pdf'));
      await attach(`station:${stationId}`, { kind: 'record', id: recordId }, scan('发言提纲.pdf'));
      await attach(`opinion:${opinionId}`, { kind: 'opinion', id: opinionId }, scan('来信.pdf'));
      await runtime.projector.catchUp();
      yoga = createApp(runtime);
      server = createHttpServer(runtime);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve));
      await runtime?.close();
      await testDb?.dispose();
    });

    it('lists a reception’s files to staff, oldest first, with a thumbnail for the photo only; the address serves the file', async () => {
      const { reception, opinion } = await books('staff');
      expect(reception?.map((file) => [file.name, file.mediaType])).toEqual([
        ['接待现场.jpg', 'image/jpeg'],
        ['签到表.pdf', 'application/pdf'],
      ]);
      const [photo, scan] = reception!;
      expect(photo!.url).toBe(`/files/station:${stationId}/reception/${receptionId}/${photoSha}`);
      expect(photo!.thumbnailUrl).toBe(`${photo!.url}/thumbnail`);
      expect(scan!.thumbnailUrl).toBeNull();
      expect(scan!.size).toBe(2048);
      expect(Number.isNaN(Date.parse(photo!.attachedAt))).toBe(false);
      expect(opinion?.map((file) => file.name)).toEqual(['来信.pdf']);

      const token = await runtime.tokens.mint({ role: 'staff' });
      const fetched = await fetch(`${base}${photo!.url}`, { headers: { authorization: `Bearer ${token}` } });
      expect(fetched.status).toBe(200);
      expect(sha256Of(Buffer.from(await fetched.arrayBuffer()))).toBe(photoSha);
      expect((await fetch(`${base}${photo!.thumbnailUrl}`, { headers: { authorization: `Bearer ${token}` } })).headers.get('content-type')).toBe('image/webp');
    });

    it('follows the page’s view of the past: as it was known before the scan was attached, the photo alone', async () => {
      const log = await runtime.store.readAll({ limit: 100_000 });
      const scan = log.find((event) => event.type === 'EvidenceAttached' && (event.data as { file: { name: string } }).file.name === '签到表.pdf')!;
      const filesAsOf = async (asOf: Record<string, unknown>) => {
        const data = await ask('staff', undefined, BOOKS_AS_OF, { stationId, asOf });
        return data.stationBooks.receptions.edges.find((edge: any) => edge.node.receptionId === receptionId).node.evidence.map((file: File) => file.name);
      };
      expect(await filesAsOf({ view: 'KNOWN', position: scan.position - 1 })).toEqual(['接待现场.jpg']);
      expect(await filesAsOf({ view: 'KNOWN', position: scan.position })).toEqual(['接待现场.jpg', '签到表.pdf']);
    });

    it('the deputy who led the reception and received the opinion sees all of it; the station’s manager and an auditor too', async () => {
      for (const [role, personId] of [
        ['deputy', county.deputy.personId],
        ['station-manager', county.chair.personId],
        ['auditor', undefined],
      ] as const) {
        const { reception, opinion } = await books(role, personId);
        expect(reception?.length, role).toBe(2);
        expect(opinion?.length, role).toBe(1);
      }
      expect((await history('staff'))?.map((file) => file.name)).toEqual(['发言提纲.pdf']);
      expect((await record('staff'))?.map((file) => file.name)).toEqual(['发言提纲.pdf']);
      expect((await history('deputy', county.deputy.personId))?.map((file) => file.name)).toEqual(['发言提纲.pdf']);
    });

    it('withholds them (null) from a deputy of the same station it does not concern, a deputy of another station, and a committee member for a reception', async () => {
      expect(await books('deputy', county.townshipDeputy.personId)).toEqual({ reception: null, opinion: null });
      expect(await books('deputy', other.deputy.personId)).toEqual({ reception: null, opinion: null });
      expect(await books('station-manager', other.chair.personId)).toEqual({ reception: null, opinion: null });
      expect(await books('committee-member', randomUUID())).toEqual({ reception: null, opinion: null });
      expect(await history('deputy', other.deputy.personId)).toBeNull();
      expect(await history('deputy', county.townshipDeputy.personId)).toBeNull();
      // A committee member sees the evidence of records.
      expect((await record('committee-member', randomUUID()))?.map((file) => file.name)).toEqual(['发言提纲.pdf']);
    });
  });
}
