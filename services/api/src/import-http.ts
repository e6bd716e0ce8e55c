/**
 * The Excel import over HTTP, beside /graphql (the web server forwards `/import/api/…` here):
 *
 *   GET  /import/template?kind=roster|history    the template (.xlsx) with the county's lists
 *   PUT  /import/uploads/<id>/<n>?parts=N&size=S  part n of N of a file of S bytes (each part at
 *                                                 most 256 KB, under the request-body limit)
 *   POST /import/uploads/<id>/run?dryRun=1&onlyValid=1
 *                                                 checks (and imports) the file; answers JSON Lines:
 *                                                 {"type":"progress",…} as it goes, then {"type":"report",…}
 *
 * Staff and administrators only (the commands check their own roles again). A file larger than
 * the import takes is refused before a byte of it is kept. Uploads are held in memory for 30
 * minutes, per signed-in person (uploads.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { countyView, importWorkbook, MAX_FILE_BYTES, buildTemplate, TEMPLATE_TITLES } from '@yingpan/import';
import type { Actor } from './auth.ts';
import type { Runtime } from './runtime.ts';
import { answer, PartUploads } from './uploads.ts';

export const IMPORT_PATH = '/import/';
const ROLES = new Set(['staff', 'admin']);

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The county's lists for a template's drop-downs: townships (of its stations and seats), terms and stations. */
async function templateLists(runtime: Runtime) {
  const county = await countyView(runtime.db, runtime.store);
  return {
    townships: [...new Set(county.stations.map((station) => station.township))].sort((a, b) => a.localeCompare(b, 'zh-CN')),
    terms: county.terms.map((term) => term.number),
    stations: county.stations.map((station) => station.name).sort((a, b) => a.localeCompare(b, 'zh-CN')),
  };
}

/** Handles a request under /import/; `actorOf` reads the signed-in person from the request's bearer token. */
export function importHandler(runtime: Runtime, actorOf: (request: Request) => Promise<Actor>) {
  const uploads = new PartUploads(IMPORT_PATH, MAX_FILE_BYTES, (size) =>
    size > MAX_FILE_BYTES
      ? {
          zh: `文件过大（${megabytes(size)}），上限 ${megabytes(MAX_FILE_BYTES)}：请分成几个文件导入`,
          en: `File too large (${megabytes(size)}; limit ${megabytes(MAX_FILE_BYTES)})`,
        }
      : null,
  );
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://api');
    let actor: Actor;
    try {
      actor = await actorOf(new Request(url, { headers: new Headers(request.headers as Record<string, string>) }));
    } catch {
      answer(response, 401, '登录已失效，请重新登录', 'Sign in again');
      return;
    }
    if (!ROLES.has(actor.role)) {
      answer(response, 403, '只有机关工作人员和系统管理员可以导入', 'Only staff and administrators import');
      return;
    }
    uploads.sweep();

    if (request.method === 'GET' && url.pathname === '/import/template') {
      const kind = url.searchParams.get('kind');
      if (kind !== 'roster' && kind !== 'history') return answer(response, 400, '模板应为 roster 或 history', 'kind must be roster or history');
      const file = await buildTemplate(kind, await templateLists(runtime));
      response
        .writeHead(200, {
          'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'content-disposition': `attachment; filename="${kind}.xlsx"; filename*=UTF-8''${encodeURIComponent(TEMPLATE_TITLES[kind])}.xlsx`,
          'cache-control': 'no-store',
        })
        .end(file);
      return;
    }

    if (uploads.isPart(request, url)) return uploads.putPart(request, response, url, actor.personId);

    const run = /^\/import\/uploads\/([0-9a-f-]{36})\/run$/.exec(url.pathname);
    if (request.method === 'POST' && run) {
      const file = uploads.file(response, run[1]!, actor.personId);
      if (!file) return;
      const dryRun = url.searchParams.get('dryRun') === '1';
      const onlyValid = url.searchParams.get('onlyValid') === '1';
      response.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
      const write = (line: object) => response.write(`${JSON.stringify(line)}\n`);
      try {
        const report = await importWorkbook(
          file,
          {
            bus: runtime.commands,
            store: runtime.store,
            county: async () => {
              await runtime.waitForProjections((await runtime.store.head()).position, 10_000).catch(() => {});
              return countyView(runtime.db, runtime.store);
            },
          },
          {
            dryRun,
            onlyValid,
            actor: { personId: actor.personId, role: actor.role },
            onProgress: (progress) => write({ type: 'progress', ...progress }),
          },
        );
        if (report.written) await runtime.waitForProjections((await runtime.store.head()).position, 10_000).catch(() => {});
        write({ type: 'report', report });
        if (!dryRun && report.written) uploads.delete(run[1]!);
      } catch (error) {
        write({ type: 'error', zh: '导入出错，请稍后重试', en: error instanceof Error ? error.message : String(error) });
      }
      response.end();
      return;
    }
    answer(response, 404, '没有这个地址', 'Not found');
  };
}
