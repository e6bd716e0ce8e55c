/**
 * Files uploaded in parts, for the HTTP handlers beside /graphql that take files (the Excel import,
 * import-http.ts; evidence files, files-http.ts): each part at most PART_BYTES, under the request-body
 * limit, sent as `PUT <prefix>/uploads/<id>/<n>?parts=N&size=S`; a file larger than the handler takes
 * is refused before a byte of it is kept. Parts are held in memory for 30 minutes, per signed-in
 * person; the web sends them with web/src/lib/upload-parts.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const PART_BYTES = 256 * 1024;
const KEPT_MS = 30 * 60_000;

/** An answer in the handlers' error shape, in both languages. */
export function answer(response: ServerResponse, status: number, zh: string, en: string): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify({ error: { zh, en } }));
}

/** The request's body, or null past `limit` bytes. */
export async function body(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

interface Upload {
  owner: string;
  parts: (Buffer | undefined)[];
  created: number;
}

/** Why a file of this many bytes is refused (null: it is taken). */
export type SizeCheck = (size: number) => { zh: string; en: string } | null;

/** The uploads of one handler. */
export class PartUploads {
  readonly #uploads = new Map<string, Upload>();
  readonly #part: RegExp;

  /** `prefix`: the handler's path (e.g. `/files/`); `maxBytes`: the largest file taken; `tooLarge`: what a larger one is told. */
  constructor(
    prefix: string,
    private readonly maxBytes: number,
    private readonly tooLarge: SizeCheck,
  ) {
    this.#part = new RegExp(`^${prefix}uploads/([0-9a-f-]{36})/(\\d+)$`);
  }

  /** Forgets uploads older than 30 minutes. */
  sweep(now = Date.now()): void {
    for (const [id, upload] of this.#uploads) if (now - upload.created > KEPT_MS) this.#uploads.delete(id);
  }

  /** Is this `PUT …/uploads/<id>/<n>` a part? */
  isPart(request: IncomingMessage, url: URL): boolean {
    return request.method === 'PUT' && this.#part.test(url.pathname);
  }

  /** Keeps one part of `owner`'s upload and answers 204, or answers why not. */
  async putPart(request: IncomingMessage, response: ServerResponse, url: URL, owner: string): Promise<void> {
    const [, id, index] = this.#part.exec(url.pathname) as unknown as [string, string, string];
    const parts = Number(url.searchParams.get('parts'));
    const refused = this.tooLarge(Number(url.searchParams.get('size')));
    if (refused) return answer(response, 413, refused.zh, refused.en);
    if (!Number.isInteger(parts) || parts < 1 || parts > Math.ceil(this.maxBytes / PART_BYTES) || Number(index) >= parts) {
      return answer(response, 400, '上传的分块有误', 'Bad part');
    }
    let upload = this.#uploads.get(id);
    if (!upload) {
      upload = { owner, parts: new Array(parts), created: Date.now() };
      this.#uploads.set(id, upload);
    }
    if (upload.owner !== owner || upload.parts.length !== parts) return answer(response, 409, '上传的分块有误', 'Bad part');
    const bytes = await body(request, PART_BYTES);
    if (!bytes) return answer(response, 413, '分块过大', 'Part too large');
    upload.parts[Number(index)] = bytes;
    response.writeHead(204).end();
  }

  /** The whole file of `owner`'s upload `id`, or the answer why there is none (already sent). */
  file(response: ServerResponse, id: string, owner: string): Buffer | null {
    const upload = this.#uploads.get(id);
    if (!upload || upload.owner !== owner) {
      answer(response, 404, '找不到上传的文件，请重新选择文件', 'No such upload');
      return null;
    }
    if (upload.parts.length === 0 || upload.parts.some((each) => each === undefined)) {
      answer(response, 409, '文件尚未上传完整', 'Upload incomplete');
      return null;
    }
    return Buffer.concat(upload.parts as Buffer[]);
  }

  /** Forgets an upload once used. */
  delete(id: string): void {
    this.#uploads.delete(id);
  }
}
