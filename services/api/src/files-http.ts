/**
 * Evidence files over HTTP, beside /graphql (the web server forwards `/files/…` here):
 *
 *   PUT  /files/uploads/<id>/<n>?parts=N&size=S   part n of N of a file of S bytes (each part at most
 *                                                 256 KB, under the request-body limit, as the import's)
 *   POST /files/uploads/<id>/attach?stream=<streamId>&kind=record|reception|opinion&subject=<id>&name=<file name>
 *                                                 checks the file by its content (services/files), keeps
 *                                                 what is kept of it, and attaches it (AttachEvidence);
 *                                                 answers {"file": {…}} or {"error": {zh, en}}
 *   GET  /files/<streamId>/<kind>/<subjectId>     the subject's evidence: [{sha256, mediaType, size, name, …}]
 *   GET  /files/<streamId>/<kind>/<subjectId>/<sha256>[/thumbnail]   the file, or its thumbnail
 *
 * Who may fetch a file follows who may see what it is evidence of (access.ts: mayReadEvidence):
 * the address names the record's stream and the subject, the stream is folded (the evidence
 * decider) to find the file among the subject's and whom and which station it concerns. Nobody
 * learns a file by its hash alone. A subject that is not there answers 404; one the reader may not
 * see, 403 (the record is no secret to the signed-in: the books list it; its files may be).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EVIDENCE_SUBJECT_KINDS, evidenceDecider, loadState, registry, subjectKey, type EvidenceSubject } from '@yingpan/domain';
import { assertEvidenceSize, EvidenceFileError, isSha256, MAX_EVIDENCE_BYTES, prepareEvidence } from '@yingpan/files';
import { randomUUID } from 'node:crypto';
import { mayReadEvidence } from './access.ts';
import type { Actor } from './auth.ts';
import type { Runtime } from './runtime.ts';
import { answer, PartUploads } from './uploads.ts';

export const FILES_PATH = '/files/';

/** Why a file of `size` bytes is refused (null: taken). */
function sizeRefusal(size: number): { zh: string; en: string } | null {
  try {
    assertEvidenceSize(size);
    return null;
  } catch (error) {
    if (error instanceof EvidenceFileError) return { zh: error.zh, en: error.en };
    throw error;
  }
}

/** The evidence a file's subject has, as listed: each file's event data with when and by whom. */
export interface EvidenceEntry {
  sha256: string;
  mediaType: string;
  size: number;
  name: string;
  width: number | null;
  height: number | null;
  attachedAt: string;
  position: number;
}

const STREAM = /^[a-z][a-z-]*:[0-9a-f-]{36}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Handles a request under /files/; `actorOf` reads the signed-in person from the request's bearer token. */
export function filesHandler(runtime: Runtime, actorOf: (request: Request) => Promise<Actor>) {
  const uploads = new PartUploads(FILES_PATH, MAX_EVIDENCE_BYTES, sizeRefusal);

  /** The subject on its stream (null: not there), folded by the evidence decider. */
  const subjectOf = async (streamId: string, kind: string, id: string): Promise<EvidenceSubject | null> => {
    const { state } = await loadState(runtime.store, registry, evidenceDecider, streamId);
    return state.get(subjectKey(kind, id)) ?? null;
  };

  const entriesOf = async (streamId: string, subject: EvidenceSubject): Promise<EvidenceEntry[]> => {
    const events = await runtime.store.readStream(streamId);
    return events
      .filter((event) => {
        const data = event.data as { subject?: { kind: string; id: string } };
        return event.type === 'EvidenceAttached' && data.subject?.kind === subject.kind && data.subject.id === subject.id;
      })
      .map((event) => ({
        ...(event.data as { file: Omit<EvidenceEntry, 'attachedAt' | 'position'> }).file,
        attachedAt: event.metadata.occurredAt,
        position: event.position,
      }));
  };

  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://api');
    let actor: Actor;
    try {
      actor = await actorOf(new Request(url, { headers: new Headers(request.headers as Record<string, string>) }));
    } catch {
      return answer(response, 401, '登录已失效，请重新登录', 'Sign in again');
    }
    if (actor.role === 'public') return answer(response, 401, '请先登录；佐证材料不公开', 'Sign in: evidence is not public');
    uploads.sweep();

    if (uploads.isPart(request, url)) return uploads.putPart(request, response, url, actor.personId);

    const attach = /^\/files\/uploads\/([0-9a-f-]{36})\/attach$/.exec(url.pathname);
    if (request.method === 'POST' && attach) {
      const bytes = uploads.file(response, attach[1]!, actor.personId);
      if (!bytes) return;
      const name = (url.searchParams.get('name') ?? '').trim().slice(0, 200) || '佐证材料';
      try {
        const kept = await prepareEvidence(bytes, name);
        // The file is kept before the event names it: no event points at a file the store lacks.
        await runtime.files.put(kept.bytes);
        if (kept.thumbnail) await runtime.files.putThumbnail(kept.sha256, kept.thumbnail);
        const file = { sha256: kept.sha256, mediaType: kept.mediaType, size: kept.size, name, width: kept.width, height: kept.height };
        const outcome = await runtime.commands.execute(
          'AttachEvidence',
          { streamId: url.searchParams.get('stream'), subject: { kind: url.searchParams.get('kind'), id: url.searchParams.get('subject') }, file },
          { commandId: randomUUID(), actor, occurredAt: new Date().toISOString() },
        );
        uploads.delete(attach[1]!);
        response
          .writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
          .end(JSON.stringify({ file, position: outcome.events.at(-1)?.position ?? 0 }));
      } catch (error) {
        if (error instanceof EvidenceFileError) return answer(response, 422, error.zh, error.en);
        const messages = (error as { messages?: { zh: string; en: string } }).messages;
        if (messages) return answer(response, (error as { code?: string }).code === 'forbidden' ? 403 : 422, messages.zh, messages.en);
        const zh = (error as { issues?: { zh?: string }[] }).issues?.[0]?.zh;
        if (zh) return answer(response, 400, zh, 'Invalid input');
        throw error;
      }
      return;
    }

    const read = /^\/files\/([a-z][a-z-]*:[0-9a-f-]{36})\/([a-z]+)\/([0-9a-f-]{36})(?:\/([0-9a-f]{64})(\/thumbnail)?)?$/.exec(url.pathname);
    if (request.method === 'GET' && read) {
      const [, streamId, kind, id, sha256, thumbnail] = read as unknown as [string, string, string, string, string | undefined, string | undefined];
      if (!STREAM.test(streamId) || !UUID.test(id) || !(EVIDENCE_SUBJECT_KINDS as readonly string[]).includes(kind) || (sha256 && !isSha256(sha256))) {
        return answer(response, 404, '没有这个文件', 'Not found');
      }
      const subject = await subjectOf(streamId, kind, id);
      if (!subject) return answer(response, 404, '没有这个文件', 'Not found');
      // The record itself is no secret to a signed-in reader (the books list it); its files may be.
      if (!(await mayReadEvidence(runtime.db, actor, subject))) {
        return answer(
          response,
          403,
          '无权查看这份佐证材料：只有经办的工作人员、所在联络站的站长和相关代表可以查看',
          'You may not see this evidence: only the staff handling it, its station’s manager and the deputies it concerns may',
        );
      }
      if (!sha256) {
        response
          .writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'private, no-store' })
          .end(JSON.stringify({ evidence: await entriesOf(streamId, subject) }));
        return;
      }
      if (!subject.files.includes(sha256)) return answer(response, 404, '没有这个文件', 'Not found');
      const entry = (await entriesOf(streamId, subject)).find((each) => each.sha256 === sha256)!;
      const bytes = thumbnail ? await runtime.files.getThumbnail(sha256) : await runtime.files.get(sha256);
      if (!bytes) return answer(response, 410, '文件在存储中缺失，请联系管理员（yingpan verify 可查出缺失的文件）', 'The file is missing from the store');
      response
        .writeHead(200, {
          'content-type': thumbnail ? 'image/webp' : entry.mediaType,
          'content-length': bytes.length,
          // Content-addressed: the bytes under this address never change, but they are not public.
          'cache-control': 'private, max-age=31536000, immutable',
          'x-content-type-options': 'nosniff',
          'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(entry.name)}`,
        })
        .end(bytes);
      return;
    }
    answer(response, 404, '没有这个地址', 'Not found');
  };
}
