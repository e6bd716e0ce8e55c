/// <reference lib="dom" />
/**
 * The kit page's script: reads the kit enclosed in the page, checks it with the log's own code
 * (checkKit, bundled with it) against the key in the key field, and shows each entry's result.
 * Runs with no network; the page's verdict is the same as `yingpan verify-kit`'s.
 */
import { checkKit, NoteError, verifierFromKey, type AuditKit } from '@yingpan/event-store/kit-check';

const kit = JSON.parse(document.getElementById('kit')!.textContent!) as AuditKit;
const $ = (id: string) => document.getElementById(id)!;

const cell = (row: HTMLTableRowElement, text: string, className?: string) => {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
};

/** The day an entry's act took place or, without one, the day it was recorded (China time). */
function dayOf(entry: AuditKit['entries'][number]): string {
  const data = (entry.event?.data ?? entry.withheld?.data ?? {}) as Record<string, unknown>;
  const named = data.date ?? data.heldOn ?? data.registeredOn;
  if (typeof named === 'string') return named;
  const at = entry.event?.metadata.occurredAt ?? entry.withheld?.occurredAt;
  return at ? new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 10) : '';
}

function run(): void {
  const verdict = $('verdict');
  const rows = $('rows') as HTMLTableSectionElement;
  rows.replaceChildren();
  let verifier: ReturnType<typeof verifierFromKey>;
  try {
    verifier = verifierFromKey(($('key') as HTMLInputElement).value.trim());
  } catch (error) {
    verdict.className = 'verdict fail';
    verdict.textContent = `公钥无效：${error instanceof NoteError ? error.reason : String(error)}`;
    return;
  }
  const kept = ($('kept') as HTMLTextAreaElement).value.trim();
  const result = checkKit(kit, verifier, kit.origin, kept ? `${kept}\n` : undefined);
  const byPosition = new Map(result.entries.map((entry) => [entry.position, entry]));
  for (const entry of kit.entries) {
    const check = byPosition.get(entry.position);
    const row = rows.insertRow();
    row.dataset.position = String(entry.position);
    cell(row, String(entry.position));
    const data = (entry.event?.data ?? entry.withheld?.data ?? {}) as { act?: string };
    const act = data.act ? kit.actLabels?.[data.act] : undefined;
    cell(row, act ? `${act}（${entry.event?.type ?? entry.withheld?.type}）` : (entry.event?.type ?? entry.withheld?.type ?? '？'));
    cell(row, dayOf(entry));
    cell(row, check?.ok ? (check.checked === 'content' ? '✓ 内容与哈希一致' : '✓ 哈希在树中（内容已隐去）') : '✗ 未通过', check?.ok ? 'ok' : 'fail');
    cell(
      row,
      check?.ok
        ? check.checked === 'content'
          ? '事件内容重新计算哈希后与日志一致，且包含在检查点的日志树中'
          : '含选民个人信息，导出人无权查看，仅核验其哈希包含在日志树中'
        : `原因：${check ? entryReason(check.message) : '未核验'}`,
    );
  }
  if (result.ok) {
    verdict.className = 'verdict ok';
    const hidden = result.entries.filter((entry) => entry.checked === 'hash-only').length;
    verdict.textContent =
      `全部核验通过：${result.entries.length} 条记录均在 ${result.checkpoint.treeSize} 条事件的已签名日志树中` +
      (hidden > 0 ? `（其中 ${hidden} 条含选民个人信息，内容已隐去，仅核验哈希）` : '，且每条内容与其哈希一致');
  } else {
    verdict.className = 'verdict fail';
    const failed = result.entries.filter((entry) => !entry.ok).length;
    verdict.textContent =
      failed > 0
        ? `核验未通过：${result.entries.length} 条记录中有 ${failed} 条与已签名的日志不符（见下表标红的行），核验包已被改动或不完整`
        : result.reason.startsWith('checkpoint:')
          ? '核验未通过：检查点的签名不符。公钥不是本日志的，或检查点已被改动'
          : '核验未通过：这不是一个完整的核验包';
    const detail = document.createElement('small');
    detail.className = 'detail';
    detail.textContent = `技术说明：${result.reason}`;
    verdict.append(detail);
  }
}

/** What failed of one entry, in Chinese, with checkKit's own words after it. */
function entryReason(message: string): string {
  const zh = message.includes('the event enclosed hashes to')
    ? '事件内容与日志中的哈希不符，内容已被改动'
    : message.startsWith('inclusion')
      ? '包含证明不成立，该记录不在已签名的日志树中'
      : message.startsWith('checkpoint')
        ? '检查点的签名不符'
        : '核验未通过';
  return `${zh}（${message}）`;
}

$('exported').textContent = new Date(kit.exportedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' });
$('check').addEventListener('click', run);
run();
