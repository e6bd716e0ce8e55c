/**
 * Moving in and out: the Excel import (`template`, `import`) and the bundle (`export`,
 * `import-log`; `verify --bundle` is in main.ts beside the log's own verify).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { configFromEnv, describeConfig, fileStoreFor, openLogReadOnly, openRuntime, useConfiguredClock } from '@yingpan/api/runtime';
import { openDb } from '@yingpan/db';
import { migrateEventStore, SqlEventStore } from '@yingpan/event-store';
import { MAX_FILE_BYTES, TEMPLATE_TITLES, buildTemplate, countyView, importWorkbook } from '@yingpan/import';
import { InvalidArgumentError, type Command } from 'commander';
import { exportBundle, importLog } from './bundle.ts';
import { FolderFileStore } from '@yingpan/files';
import { bundleFilesDir, copyNamedFiles, namedEvidence, type EvidenceCheck } from './evidence.ts';
import { progressBar } from './progress.ts';

async function withRuntime<T>(work: (runtime: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>): Promise<T> {
  const config = configFromEnv();
  useConfiguredClock(config);
  console.error(`Store: ${describeConfig(config)}`);
  const runtime = await openRuntime(config);
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

export function registerMovingCommands(program: Command): void {
  program
    .command('template')
    .description('Write an import template (.xlsx, Chinese headers, drop-down lists with the county’s townships, terms and stations): roster or history.')
    .argument('<kind>', 'roster (届次、人员任职、联络站) or history (培训、活动、进站回家)')
    .option('--out <file>', 'where to write it (default: 花名册导入模板.xlsx or 履职台账导入模板.xlsx)')
    .action(async (kind: string, options: { out?: string }) => {
      if (kind !== 'roster' && kind !== 'history') throw new InvalidArgumentError('expected roster or history');
      const file = options.out ?? `${TEMPLATE_TITLES[kind]}.xlsx`;
      await withRuntime(async ({ db, store, projector }) => {
        await projector.catchUp();
        writeFileSync(file, await buildTemplate(kind, templateLists(await countyView(db, store))));
      });
      console.log(`Wrote ${file}`);
    });

  /** The drop-down lists a template offers: the county's townships (from its stations and seats), terms and stations. */
  function templateLists(county: Awaited<ReturnType<typeof countyView>>) {
    return {
      townships: [...new Set(county.stations.map((station) => station.township))].sort((a, b) => a.localeCompare(b, 'zh-CN')),
      terms: county.terms.map((term) => term.number),
      stations: county.stations.map((station) => station.name).sort((a, b) => a.localeCompare(b, 'zh-CN')),
    };
  }

  program
    .command('import')
    .description(
      'Import a roster or history workbook (.xlsx, from `yingpan template`): every row checked first and each problem printed as sheet, row, column, ' +
        'value and reason; nothing is written while any row is wrong (unless --only-valid). Rows run as the domain’s commands, as an administrator; ' +
        'importing the same file again adds nothing. Exit 0 when imported (or, with --dry-run, when nothing is wrong), 1 otherwise.',
    )
    .argument('<file>', 'the .xlsx file')
    .option('--dry-run', 'check only; write nothing')
    .option('--only-valid', 'import the rows without problems and leave the others out')
    .action(async (file: string, options: { dryRun?: boolean; onlyValid?: boolean }) => {
      let bytes: Buffer;
      try {
        if (statSync(file).size > MAX_FILE_BYTES) {
          bytes = Buffer.alloc(0);
          console.error(
            `${file}: 文件过大（${(statSync(file).size / 1024 / 1024).toFixed(1)} MB），上限 ${MAX_FILE_BYTES / 1024 / 1024} MB：请分成几个文件导入`,
          );
          process.exitCode = 1;
          return;
        }
        bytes = readFileSync(file);
      } catch (error) {
        throw new InvalidArgumentError(`${file}: cannot be read (${(error as Error).message})`);
      }
      await withRuntime(async ({ db, store, projector, commands }) => {
        const bar = progressBar(options.dryRun ? 'Checking' : 'Importing', 'commands');
        const report = await importWorkbook(
          bytes,
          {
            bus: commands,
            store,
            county: async () => {
              await projector.catchUp();
              return countyView(db, store);
            },
          },
          {
            ...options,
            actor: { personId: 'county-office', role: 'admin' },
            onProgress: ({ stage, done, total }) => stage === 'import' && bar.update(done, total),
          },
        ).finally(() => bar.stop());
        for (const problem of report.problems) {
          const where =
            problem.row === 0
              ? problem.sheet
                ? `「${problem.sheet}」`
                : '文件'
              : `「${problem.sheet}」第 ${problem.row} 行${problem.column ? ` ${problem.cell ? `${problem.cell.replace(/\d+$/, '')} 列` : ''}（${problem.column}）` : ''}`;
          console.log(`${where}${problem.value ? ` 「${problem.value}」` : ''}：${problem.reason}`);
        }
        console.log(report.summary);
        console.log(
          `SHA-256 ${report.sha256}; ${report.rows} rows, ${report.validRows} without problems; ${report.applied} commands applied, ${report.events} events.`,
        );
        if (report.written) await projector.catchUp();
        const fine = options.dryRun
          ? report.problems.length === 0
          : report.written || (report.problems.length === 0 && report.commands === 0) || report.duplicates > 0;
        if (!fine) process.exitCode = 1;
      });
    });

  program
    .command('export')
    .description(
      'Write the whole log to a bundle: a manifest line (counts by event type and schema version, first and last position, head hash, Merkle root, ' +
        'chain versions, the log’s SHA-256), then every event in order as JSON Lines, exactly as stored. Read-only.',
    )
    .requiredOption('--out <file>', 'the bundle file to write')
    .action(async (options: { out: string }) => {
      const config = configFromEnv();
      console.error(`Store: ${describeConfig(config)}`);
      const log = await openLogReadOnly(config);
      const bar = progressBar('Exporting', 'events');
      const started = Date.now();
      try {
        const manifest = await exportBundle(log.store, options.out, describeConfig(config), (done, total) => bar.update(done, total)).finally(() => bar.stop());
        const seconds = (Date.now() - started) / 1000;
        console.log(
          `Exported ${manifest.events} events (positions ${manifest.firstPosition}–${manifest.lastPosition}) to ${options.out} in ${seconds.toFixed(1)} s; ` +
            `head hash ${manifest.headHash}; Merkle root ${manifest.merkleRoot}.`,
        );
        // The evidence files the log names travel beside it, in a folder of their own (a file store).
        const named = await namedEvidence(log.store);
        if (named.size > 0) {
          const copied = await copyNamedFiles(named, fileStoreFor(config), new FolderFileStore(bundleFilesDir(options.out)));
          reportFiles(copied, `Evidence files: ${copied.files - copied.problems.length} of ${copied.files} copied to ${bundleFilesDir(options.out)}`);
        }
      } finally {
        await log.close();
      }
    });

  program
    .command('import-log')
    .description(
      'Load a bundle into an empty store (DATABASE_URL or the embedded one), every event at its own position with its own hashes: the bundle is ' +
        'verified first, then loaded in one transaction. The read models are built when the API next starts (or `yingpan rebuild`).',
    )
    .argument('<bundle>', 'a bundle written by `yingpan export`')
    .action(async (file: string) => {
      const config = configFromEnv();
      if (config.kurrentdbUrl) throw new InvalidArgumentError('import-log loads into PostgreSQL or the embedded store; unset KURRENTDB_URL');
      console.error(`Store: ${describeConfig(config)}`);
      const db = await openDb(config);
      const bar = progressBar('Loading', 'events');
      const started = Date.now();
      try {
        await migrateEventStore(db);
        const result = await importLog(db, file, (done, total) => bar.update(done, total)).finally(() => bar.stop());
        if (!result.ok) {
          console.error(`REFUSED: line ${result.line}${result.position ? ` (position ${result.position})` : ''}: ${result.reason}`);
          process.exitCode = 1;
          return;
        }
        const seconds = (Date.now() - started) / 1000;
        console.log(
          `Loaded ${result.manifest.events} events in ${seconds.toFixed(1)} s; head position ${result.manifest.lastPosition}, hash ${result.manifest.headHash}.`,
        );
        // The evidence files from the folder beside the bundle, into this county's file store.
        const named = await namedEvidence(new SqlEventStore(db));
        if (named.size > 0) {
          const copied = await copyNamedFiles(named, new FolderFileStore(bundleFilesDir(file)), fileStoreFor(config));
          reportFiles(copied, `Evidence files: ${copied.files - copied.problems.length} of ${copied.files} copied into ${config.filesDir}`);
        }
      } finally {
        await db.close();
      }
    });
}

/** Prints what a copy of evidence files did; a file missing or altered sets exit code 1. */
function reportFiles(check: EvidenceCheck, done: string): void {
  console.log(`${done}.`);
  for (const problem of check.problems) {
    console.error(
      `  ${problem.problem === 'missing' ? '缺失 missing' : '被改动 altered'}  ${problem.sha256}  «${problem.name}», attached at position ${problem.position}: not copied`,
    );
  }
  if (check.problems.length > 0) process.exitCode = 1;
}
