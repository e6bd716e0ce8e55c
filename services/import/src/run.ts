/**
 * An import from start to end: read the file, check every row, and — only when nothing is wrong,
 * or when asked to import the valid rows alone — run each row's commands through the domain's
 * bus, as the API would, so every rule applies. Each event records the file's SHA-256 and its row.
 */
import type { CommandBus, CommandContext } from '@yingpan/domain';
import { createDomain, DomainError, StateCache } from '@yingpan/domain';
import { type EventStore, WriteBehindStore } from '@yingpan/event-store';
import type { CountyView } from './county.ts';
import { planImport, type Plan, type Step } from './plan.ts';
import { readWorkbook, type Problem } from './workbook.ts';

export interface ImportOptions {
  /** Check only: nothing is written. */
  dryRun?: boolean;
  /** Import the rows without problems and leave the others out (reported). Default: nothing is written while any row has a problem. */
  onlyValid?: boolean;
  /** Who imports (the signed-in clerk or administrator). */
  actor: CommandContext['actor'];
  /** Commands of one phase run this many at a time (default 8). */
  concurrency?: number;
  onProgress?: (progress: { stage: 'check' | 'import'; done: number; total: number }) => void;
}

export interface ImportReport {
  sha256: string;
  bytes: number;
  dryRun: boolean;
  /** Rows read (every sheet), rows without problems, rows the county already held. */
  rows: number;
  validRows: number;
  known: number;
  problems: Problem[];
  /** The commands the valid rows make, and what became of them. */
  commands: number;
  applied: number;
  /** Commands this file had already run (importing it again). */
  duplicates: number;
  events: number;
  /** Whether anything was written. */
  written: boolean;
  /** Why nothing was written, or where the import stopped, in Chinese. */
  summary: string;
}

export interface ImportServices {
  bus: CommandBus;
  county(): Promise<CountyView>;
  /**
   * The log itself. Given, the rows' commands run through a bus of their own over a write-behind
   * view of it (every rule and lookup as on the API's bus, at memory speed), and what they decide is
   * appended at the end in one atomic batch: a refused row leaves nothing written unless only the
   * valid rows were asked for. Without it, each command is appended by `bus` as it runs.
   */
  store?: EventStore;
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}

const refusalOf = (step: Step, error: unknown): Problem => ({
  sheet: step.sheet,
  row: step.row,
  column: '',
  cell: '',
  value: '',
  reason: error instanceof DomainError ? `被业务规则拒绝：${error.messages.zh}` : `导入失败：${error instanceof Error ? error.message : String(error)}`,
});

export async function runPlan(plan: Plan, bytes: number, services: ImportServices, options: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = {
    sha256: plan.sha256,
    bytes,
    dryRun: options.dryRun === true,
    rows: plan.rows,
    validRows: plan.validRows,
    known: plan.known,
    problems: plan.problems,
    commands: plan.steps.length,
    applied: 0,
    duplicates: 0,
    events: 0,
    written: false,
    summary: '',
  };
  const failedRows = plan.rows - plan.validRows;
  const fileLevel = plan.problems.some((problem) => problem.row <= 1);
  if (fileLevel && plan.validRows === 0) {
    report.summary = `文件无法导入：${plan.problems[0]?.reason ?? ''}`;
    return report;
  }
  if (options.dryRun) {
    report.summary =
      plan.problems.length === 0
        ? `检查通过：${plan.rows} 行均无问题，将执行 ${plan.steps.length} 项登记${plan.known ? `（${plan.known} 项系统中已有，将跳过）` : ''}${plan.alreadyRun?.size ? `；其中 ${plan.alreadyRun.size} 项此前已由同一文件导入，不会重复登记` : ''}。`
        : `检查发现 ${plan.problems.length} 个问题（涉及 ${failedRows} 行）；其余 ${plan.validRows} 行无问题。`;
    return report;
  }
  if (plan.problems.length > 0 && !options.onlyValid) {
    report.summary = `未导入：发现 ${plan.problems.length} 个问题（涉及 ${failedRows} 行）。请修正后重新导入，或选择“只导入无误的行”。`;
    return report;
  }
  const total = plan.steps.length;
  let done = 0;
  options.onProgress?.({ stage: 'import', done, total });
  const phases = [...new Set(plan.steps.map((step) => step.phase))].sort((a, b) => a - b);
  const refused: Problem[] = [];
  // The whole file is held until its end, then written at once (see ImportServices.store).
  const buffer = services.store ? new WriteBehindStore(services.store, Number.POSITIVE_INFINITY) : null;
  const bus = buffer ? createDomain(buffer, { cache: new StateCache(50_000) }).bus : services.bus;
  const now = new Date().toISOString();
  for (const phase of phases) {
    const steps = plan.steps.filter((step) => step.phase === phase);
    await pool(steps, options.concurrency ?? 8, async (step) => {
      if (refused.length > 0 && !options.onlyValid) return;
      if (plan.alreadyRun?.has(step.commandId)) {
        report.duplicates++;
        done++;
        return;
      }
      const context: CommandContext = {
        commandId: step.commandId,
        actor: options.actor,
        occurredAt: step.occurredAt ?? now,
        correlationId: step.commandId,
        source: { sha256: plan.sha256, sheet: step.sheet, row: step.row },
      };
      try {
        const outcome = await bus.execute(step.command, step.input, context);
        if (outcome.duplicate) report.duplicates++;
        else report.applied++;
        report.events += outcome.duplicate ? 0 : outcome.events.length;
      } catch (error) {
        refused.push(refusalOf(step, error));
      }
      done++;
      if (done % 50 === 0 || done === total) options.onProgress?.({ stage: 'import', done, total });
    });
    if (refused.length > 0 && !options.onlyValid) break;
  }
  const stopped = refused.length > 0 && !options.onlyValid;
  if (buffer && stopped) {
    // Nothing of the file was written: the buffer is dropped.
    report.applied = 0;
    report.events = 0;
  } else if (buffer) await buffer.flush();
  report.problems = [...plan.problems, ...refused];
  report.written = report.applied > 0;
  const parts = [`成功 ${report.applied} 条`];
  if (report.duplicates) parts.push(`此前已导入 ${report.duplicates} 条（未重复登记）`);
  if (plan.known) parts.push(`系统中已有 ${plan.known} 条（跳过）`);
  if (failedRows) parts.push(`失败 ${failedRows} 行`);
  report.summary = !stopped
    ? `导入完成：${parts.join('，')}。`
    : buffer
      ? `未导入：第 ${refused[0]!.row} 行（${refused[0]!.sheet}）${refused[0]!.reason}。整个文件均未登记；修正后重新导入，或选择“只导入无误的行”。`
      : `导入在第 ${refused[0]!.row} 行（${refused[0]!.sheet}）停止：${refused[0]!.reason}。之前的 ${report.applied} 条已登记；修正后再导入同一文件，已登记的不会重复。`;
  return report;
}

/** The plan of a workbook, knowing which of its commands an earlier import of the same file already ran. */
async function planned(read: Awaited<ReturnType<typeof readWorkbook>>, county: CountyView): Promise<Plan> {
  const [plan, alreadyRun] = await Promise.all([planImport(read, county), county.commandsOfFile?.(read.sha256)]);
  return alreadyRun && alreadyRun.size > 0 ? { ...plan, alreadyRun } : plan;
}

/** Reads, checks and (unless a dry run, or when problems remain) imports a workbook. */
export async function importWorkbook(bytes: Uint8Array, services: ImportServices, options: ImportOptions): Promise<ImportReport> {
  options.onProgress?.({ stage: 'check', done: 0, total: 1 });
  const read = await readWorkbook(bytes);
  const plan = read.problems.some((problem) => problem.row === 0 && problem.sheet === '')
    ? { sha256: read.sha256, steps: [], problems: read.problems, rows: 0, validRows: 0, known: 0 }
    : await planned(read, await services.county());
  options.onProgress?.({ stage: 'check', done: 1, total: 1 });
  return runPlan(plan, bytes.length, services, options);
}
