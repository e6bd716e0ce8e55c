/** The report: the machine it ran on and one Markdown table, yingpan next to its baseline. */
import os from 'node:os';
import type { Db } from '@yingpan/db';

export interface ResultRow {
  benchmark: string;
  unit: 'events/s' | 'ms';
  yingpan: number;
  baseline: number;
}

export async function describeMachine(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ name: string; setting: string }>(
    `SELECT name, current_setting(name) AS setting FROM unnest(ARRAY['server_version', 'fsync', 'synchronous_commit', 'shared_buffers']) AS name`,
  );
  const pg = Object.fromEntries(rows.map((row) => [row.name, row.setting]));
  const cpus = os.cpus();
  return [
    `- CPU: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} cores`,
    `- memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node.js: ${process.version} (${os.platform()} ${os.release()})`,
    `- PostgreSQL: ${pg.server_version} (fsync=${pg.fsync}, synchronous_commit=${pg.synchronous_commit}, shared_buffers=${pg.shared_buffers})`,
  ];
}

const format = (value: number, unit: ResultRow['unit']) =>
  `${value.toLocaleString('en-US', { maximumFractionDigits: unit === 'ms' ? 2 : 0 })} ${unit}`;

export function markdownTable(rows: ResultRow[]): string {
  const lines = [
    '| benchmark | yingpan | baseline | ratio (yingpan/baseline) |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(
      (row) =>
        `| ${row.benchmark} | ${format(row.yingpan, row.unit)} | ${format(row.baseline, row.unit)} | ${(row.yingpan / row.baseline).toFixed(2)} |`,
    ),
  ];
  return lines.join('\n');
}

export function renderReport(title: string, machine: string[], workload: string[], rows: ResultRow[]): string {
  return [
    `# ${title}`,
    '',
    ...machine,
    '',
    ...workload,
    '',
    markdownTable(rows),
    '',
    'A ratio below 1 on events/s, or above 1 on ms, means yingpan is slower than the baseline.',
    '',
  ].join('\n');
}
