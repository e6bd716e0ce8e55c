/**
 * The auditor's kit of one person's record for a term or one station's books for a year, read from
 * the log itself — every event naming the person or station in the period, each with its inclusion
 * proof in a signed checkpoint — as JSON for `yingpan verify-kit` and as one page that checks it in
 * a browser with no network (kit-page/). `yingpan kit` writes it to files; `GET /kit` (kit-http.ts)
 * answers it to an auditor or administrator.
 */
import { fileURLToPath } from 'node:url';
import type { Db } from '@yingpan/db';
import { ACT_KIND_LABELS } from '@yingpan/domain';
import {
  EVENT_COLUMNS,
  KIT_FORMAT,
  rowToEvent,
  TransparencyError,
  type AuditKit,
  type EventRow,
  type KitEntry,
  type NoteSigner,
  type StoredCheckpoint,
  type TransparencyLog,
  verifierKeyOf,
} from '@yingpan/event-store';
import { withholdVoters } from './access.ts';
import type { Actor } from './auth.ts';

export interface KitRequest {
  person?: string;
  term?: number;
  station?: string;
  year?: number;
  /**
   * Who the kit is for: voters' personal data is enclosed only where this reader may see it
   * (access.ts: withholdVoters); elsewhere such an event is withheld, its hash only.
   */
  reader: Actor;
}

/** A kit request that cannot be met, said to the user in Chinese (`zh`) and English (`message`). */
export class KitRequestError extends Error {
  constructor(
    readonly zh: string,
    en: string,
  ) {
    super(en);
    this.name = 'KitRequestError';
  }
}

interface Named {
  id: string;
  name: string;
  detail: string;
}

/** The one entity of `type` whose id is `text` or whose name field is `text`; several of a name are listed. */
async function resolve(db: Db, type: string, idField: string, text: string, describe: (data: Record<string, unknown>) => string): Promise<Named> {
  const { rows } = await db.query<{ data: Record<string, unknown> }>(
    `SELECT data FROM yingpan.events WHERE type = $1 AND (data->>'name' = $2 OR data->>$3 = $2) ORDER BY position`,
    [type, text, idField],
  );
  const person = type === 'PersonRegistered';
  if (rows.length === 0) {
    throw new KitRequestError(
      `档案中没有所选的${person ? '人员' : '家站'}，请从列表中重新选择`,
      `no ${person ? 'person' : 'station'} named or numbered “${text}” in the log`,
    );
  }
  if (rows.length > 1) {
    const list = rows.map((row) => `  ${row.data[idField]}  ${row.data.name} (${describe(row.data)})`).join('\n');
    throw new KitRequestError(
      `有 ${rows.length} 个名为“${text}”的${person ? '人员' : '家站'}，请从列表中选择其中一个`,
      `${rows.length} are named “${text}”; give the id of the one you mean:\n${list}`,
    );
  }
  const data = rows[0]!.data;
  return { id: String(data[idField]), name: String(data.name), detail: describe(data) };
}

const CHINESE_DIGITS = '〇一二三四五六七八九';
/** 18 → 十八 (terms run below 100). */
export function chineseOrdinal(n: number): string {
  if (n < 10) return CHINESE_DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : CHINESE_DIGITS[tens]}十${ones === 0 ? '' : CHINESE_DIGITS[ones]}`;
}

async function termPeriod(db: Db, number: number): Promise<{ label: string; from: string; to: string }> {
  const { rows } = await db.query<{ startsOn: string; plannedEndOn: string; closedOn: string | null }>(
    `SELECT o.data->>'startsOn' AS "startsOn", o.data->>'plannedEndOn' AS "plannedEndOn",
            (SELECT c.data->>'closedOn' FROM yingpan.events c WHERE c.type = 'TermClosed' AND c.data->>'termId' = o.data->>'termId' LIMIT 1) AS "closedOn"
       FROM yingpan.events o WHERE o.type = 'TermOpened' AND (o.data->>'number')::int = $1`,
    [number],
  );
  const term = rows[0];
  if (!term) throw new KitRequestError(`档案中没有第${chineseOrdinal(number)}届，请重新选择届次`, `no term ${number} was opened in the log`);
  // An open term runs until it closes, whatever its planned end.
  return { label: `第${chineseOrdinal(number)}届`, from: term.startsOn, to: term.closedOn ?? '9999-12-31' };
}

/** The events naming `id` whose act date (or, without one, the day they were recorded) lies in the period. */
async function eventsNaming(db: Db, id: string, period: { from: string; to: string }): Promise<ReturnType<typeof rowToEvent>[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM yingpan.events e
      WHERE e.data::text LIKE '%' || $1 || '%'
        AND coalesce(e.data->>'date', e.data->>'heldOn', e.data->>'registeredOn', to_char(e.occurred_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'))
            BETWEEN $2 AND $3
      ORDER BY e.position`,
    [id, period.from, period.to],
  );
  return rows.map(rowToEvent);
}

/**
 * The reader of a kit exported at the command line: an administrator (voters' personal data
 * withheld) or, with `--with-personal-data`, an auditor.
 */
export const commandLineReader = (withPersonalData: boolean): Actor => ({
  personId: 'cli-exporter',
  role: withPersonalData ? 'auditor' : 'admin',
  name: null,
});

/**
 * The checkpoint a kit's entries are proven in: the latest kept, when it covers every entry (its
 * tree reaches `position`) and was signed by this log's key for its origin — exporting writes
 * nothing then. Only when none does is a new one signed (and kept, as every checkpoint issued is).
 * Either way the tree must still hold the latest checkpoint.
 */
async function coveringCheckpoint(tree: KitTree, position: number): Promise<StoredCheckpoint> {
  const latest = await tree.log.latestCheckpoint();
  if (
    latest &&
    latest.treeSize >= position &&
    latest.origin === tree.origin &&
    latest.keyName === tree.signer.name &&
    latest.keyId === tree.signer.keyId.toString('hex')
  ) {
    await tree.log.checkAgainst(latest);
    return latest;
  }
  return (await tree.log.issueCheckpoint(tree.signer, tree.origin)).checkpoint;
}

/** The log's tree, the key its checkpoints are signed with and its origin. */
export interface KitTree {
  log: TransparencyLog;
  signer: NoteSigner;
  origin: string;
}

export async function buildKit(db: Db, tree: KitTree, request: KitRequest, progress: (done: number, total: number) => void = () => {}): Promise<AuditKit> {
  let selection: AuditKit['selection'];
  if (request.person !== undefined) {
    if (request.term === undefined) throw new KitRequestError('请选择届次', 'a person’s kit needs a term');
    const person = await resolve(db, 'PersonRegistered', 'personId', request.person, (data) =>
      data.gender === 'female' ? '女' : data.gender === 'male' ? '男' : '—',
    );
    selection = { kind: 'person', name: person.name, id: person.id, period: await termPeriod(db, request.term) };
  } else if (request.station !== undefined) {
    if (request.year === undefined) throw new KitRequestError('请选择年度', 'a station’s kit needs a year');
    const station = await resolve(db, 'StationEstablished', 'stationId', request.station, (data) => String(data.township));
    selection = {
      kind: 'station',
      name: station.name,
      id: station.id,
      period: { label: `${request.year}年`, from: `${request.year}-01-01`, to: `${request.year}-12-31` },
    };
  } else {
    throw new KitRequestError('请选择一位人员和届次，或一个家站和年度', 'give a person and a term, or a station and a year');
  }
  const events = await eventsNaming(db, selection.id, selection.period);
  if (events.length === 0) {
    throw new KitRequestError(
      `${selection.name}在${selection.period.label}${selection.kind === 'person' ? '期间' : ''}没有任何记录，无需核验`,
      `the log holds no event of ${selection.name} in ${selection.period.label}`,
    );
  }

  // One checkpoint for every entry.
  const checkpoint = await coveringCheckpoint(tree, events.at(-1)!.position);
  if (events.at(-1)!.position > checkpoint.treeSize) throw new TransparencyError('past-the-tree', 'the log grew while the kit was read: ask again');
  const actor = request.reader;
  const entries: KitEntry[] = [];
  for (const event of events) {
    const proof = await tree.log.inclusionProof(event.position, checkpoint.treeSize);
    const entry: KitEntry = { position: event.position, eventHash: proof.eventHash, hashes: proof.hashes.map((hash) => hash.toString('hex')) };
    const shown = withholdVoters(actor, event.data);
    if (JSON.stringify(shown) === JSON.stringify(event.data)) entry.event = event;
    else entry.withheld = { type: event.type, streamId: event.streamId, occurredAt: event.metadata.occurredAt, data: shown };
    entries.push(entry);
    progress(entries.length, events.length);
  }
  const what = selection.kind === 'person' ? '履职记录' : '台账';
  return {
    format: KIT_FORMAT,
    title: `${selection.name} · ${selection.period.label}${what}`,
    selection,
    exportedAt: new Date().toISOString(),
    origin: tree.origin,
    verifierKey: verifierKeyOf(tree.signer),
    checkpoint: checkpoint.note,
    treeSize: checkpoint.treeSize,
    entries,
    actLabels: { ...ACT_KIND_LABELS },
  };
}

const PAGE_ENTRY = fileURLToPath(new URL('./kit-page/page.ts', import.meta.url));
const CRYPTO_SHIM = fileURLToPath(new URL('./kit-page/node-crypto.ts', import.meta.url));
const BUFFER_SHIM = fileURLToPath(new URL('./kit-page/buffer-global.ts', import.meta.url));

/** The page's script, bundled once per process. */
let pageScript: Promise<string> | null = null;

async function bundlePageScript(): Promise<string> {
  const { build } = await import('esbuild');
  const bundle = await build({
    entryPoints: [PAGE_ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome110',
    minify: true,
    alias: { 'node:crypto': CRYPTO_SHIM },
    inject: [BUFFER_SHIM],
    logLevel: 'silent',
  });
  return bundle.outputFiles[0]!.text;
}

/** The kit as one HTML page: the kit's JSON and the checking code (the same as verify-kit's), nothing fetched. */
export async function kitPage(kit: AuditKit): Promise<string> {
  pageScript ??= bundlePageScript().catch((error: unknown) => {
    pageScript = null;
    throw error;
  });
  const script = await pageScript;
  const json = JSON.stringify(kit).replace(/</g, '\\u003c');
  const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(kit.title)} · 核验包</title>
<style>
  body { font-family: "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1a1a1a; line-height: 1.6; }
  h1 { font-size: 1.4rem; margin-bottom: .25rem; }
  .meta { color: #444; font-size: .9rem; }
  .verdict { font-size: 1.2rem; font-weight: 700; padding: .75rem 1rem; border-radius: .4rem; margin: 1rem 0; }
  .verdict.ok { background: #e7f5ec; color: #0b5a2a; border: 1px solid #0b5a2a; }
  .verdict.fail { background: #fdecea; color: #8a1c12; border: 1px solid #8a1c12; }
  label { display: block; font-weight: 600; margin-top: .5rem; }
  textarea, input { width: 100%; font-family: monospace; font-size: .85rem; box-sizing: border-box; }
  button { margin-top: .5rem; font-size: 1rem; padding: .4rem 1.2rem; }
  table { border-collapse: collapse; width: 100%; font-size: .85rem; margin-top: 1rem; }
  th, td { border: 1px solid #bbb; padding: .25rem .4rem; text-align: left; vertical-align: top; }
  td.ok { color: #0b5a2a; } td.fail { color: #8a1c12; font-weight: 700; }
  td:nth-child(3), td:nth-child(4) { white-space: nowrap; }
  td:nth-child(5) { word-break: break-all; }
  .verdict .detail { display: block; margin-top: .5rem; font-size: .8rem; font-weight: 400; word-break: break-all; }
  code { word-break: break-all; }
</style>
</head>
<body>
<h1>${escapeHtml(kit.title)}</h1>
<p class="meta">核验包（离线核验，无需联网、无需安装）。导出于 <span id="exported"></span>；日志来源 <code>${escapeHtml(kit.origin)}</code>。</p>
<label for="key">日志公钥（请与人大常委会公布的公钥核对；默认取自核验包本身）</label>
<input id="key" value="${escapeHtml(kit.verifierKey)}">
<label for="kept">您保存的检查点（可选：粘贴后以它代替核验包所附检查点）</label>
<textarea id="kept" rows="4" placeholder="${escapeHtml(kit.origin)}&#10;…"></textarea>
<button id="check" type="button">核验</button>
<div id="verdict" class="verdict" role="status" aria-live="polite">正在核验…</div>
<table><thead><tr><th>日志位置</th><th>事件</th><th>日期</th><th>核验</th><th>说明</th></tr></thead><tbody id="rows"></tbody></table>
<script id="kit" type="application/json">${json}</script>
<script>${script}</script>
</body>
</html>
`;
}
