/**
 * The auditor's kit over HTTP, beside /graphql (the web server forwards `/audit/kit` here):
 *
 *   GET /kit?person=<personId>&term=<number>&format=html|json   a person's record for a term
 *   GET /kit?station=<stationId>&year=<YYYY>&format=html|json   a station's books for a year
 *
 * Auditors and administrators only, signed in as for /graphql. The answer is an attachment named in
 * Chinese (RFC 6266 with RFC 5987's `filename*`): the offline page that checks itself (html, the
 * default) or the kit as JSON for `yingpan verify-kit`. Voters' personal data is enclosed only
 * where the requester's grants reach it (kit.ts, access.ts), so an administrator's kit carries those
 * events by hash only. The kit is proven in the latest checkpoint kept when that covers it; only a
 * selection newer than every checkpoint signs (and keeps) a new one. A request that cannot be met
 * is answered `{"error": {"zh", "en"}}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TransparencyError, type AuditKit } from '@yingpan/event-store';
import type { Actor } from './auth.ts';
import { buildKit, KitRequestError, kitPage } from './kit.ts';
import type { Runtime } from './runtime.ts';

export const KIT_PATH = '/kit';
const ROLES = new Set(['auditor', 'admin']);
const FORMATS = new Set(['html', 'json']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function answer(response: ServerResponse, status: number, zh: string, en: string): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify({ error: { zh, en } }));
}

/** Is this request for the kit (`/kit` with or without a query)? */
export const isKitRequest = (url: string | undefined): boolean => url === KIT_PATH || (url?.startsWith(`${KIT_PATH}?`) ?? false);

/**
 * `Content-Disposition` for a file named `name`: an ASCII stand-in for old clients and the name
 * itself as RFC 5987's `filename*` (UTF-8, percent-encoded; `'()*` encoded too, as attr-char has them not).
 */
export function attachment(name: string, fallback: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The kit's file name, e.g. 张三 · 第十八届履职记录 · 核验包.html. */
export const kitFileName = (kit: Pick<AuditKit, 'title'>, format: 'html' | 'json') => `${kit.title.replace(/[\\/:*?"<>|]/g, '_')} · 核验包.${format}`;

/** A whole number in the query, or null. */
const whole = (text: string | null): number | null => (text !== null && /^\d{1,4}$/.test(text) ? Number(text) : null);

/** Handles `GET /kit`; `actorOf` reads the signed-in person from the request's bearer token. */
export function kitHandler(runtime: Runtime, actorOf: (request: Request) => Promise<Actor>) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://api');
    let actor: Actor;
    try {
      actor = await actorOf(new Request(url, { headers: new Headers(request.headers as Record<string, string>) }));
    } catch {
      return answer(response, 401, '登录已失效，请重新登录', 'Sign in again');
    }
    if (actor.role === 'public') return answer(response, 401, '请先以审计员或系统管理员身份登录', 'Sign in as an auditor or administrator');
    if (!ROLES.has(actor.role)) return answer(response, 403, '只有审计员和系统管理员可以下载核验包', 'Only auditors and administrators download audit kits');
    if (request.method !== 'GET') return answer(response, 405, '核验包只能下载', 'Only GET');

    const query = url.searchParams;
    const format = query.get('format') ?? 'html';
    if (!FORMATS.has(format)) return answer(response, 400, '格式应为离线核验页（html）或数据文件（json）', 'format must be html or json');
    const person = query.get('person');
    const station = query.get('station');
    if ((person === null) === (station === null)) {
      return answer(response, 400, '请选择一位人员和届次，或一个家站和年度（二者选一）', 'give person and term, or station and year');
    }
    const id = (person ?? station)!;
    if (!UUID.test(id)) return answer(response, 400, `所选的${person !== null ? '人员' : '家站'}无效，请从列表中重新选择`, 'person or station must be an id');
    const term = whole(query.get('term'));
    const year = whole(query.get('year'));
    if (person !== null && (term === null || term < 1)) return answer(response, 400, '请选择届次', 'term must be a number');
    if (station !== null && (year === null || year < 1949)) return answer(response, 400, '请选择年度（如 2025）', 'year must be YYYY');

    const log = runtime.transparency.log;
    if (!log) return answer(response, 503, '本系统的日志存储不支持核验包（需 PostgreSQL 或内置数据库）', 'Audit kits need the SQL event store');

    let kit: AuditKit;
    try {
      kit = await buildKit(
        runtime.db,
        { log, signer: runtime.transparency.signer, origin: runtime.transparency.origin },
        person !== null ? { person, term: term!, reader: actor } : { station: station!, year: year!, reader: actor },
      );
    } catch (error) {
      if (error instanceof KitRequestError) return answer(response, 404, error.zh, error.message);
      if (error instanceof TransparencyError) {
        const zh = error.failure === 'rewritten' ? '日志与此前签发的检查点不一致，可能已被改写，请立即报告' : '日志正在写入，请稍后再下载';
        return answer(response, 409, `无法生成核验包：${zh}`, error.message);
      }
      throw error;
    }
    const body = format === 'html' ? await kitPage(kit) : `${JSON.stringify(kit, null, 2)}\n`;
    response
      .writeHead(200, {
        'content-type': format === 'html' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
        'content-disposition': attachment(kitFileName(kit, format as 'html' | 'json'), `audit-kit.${format}`),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      })
      .end(body);
  };
}
