/**
 * Runs `yingpan` for a test. In the test's own process (`runCli`, as `bin/yingpan.mjs` does), with
 * the environment given and its output captured: a command's answer without the second or two a
 * new Node.js process takes to load the CLI. `spawnYingpan` runs the real binary, for the tests
 * that must show the binary itself works.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runCli } from '../src/main.ts';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

const bin = fileURLToPath(new URL('../bin/yingpan.mjs', import.meta.url));

/** One run at a time: the environment, the console and the exit code are the process's own. */
let queue: Promise<unknown> = Promise.resolve();

export function yingpan(env: Record<string, string>, ...args: string[]): Promise<CliOutcome> {
  const run = queue.then(() => runInProcess(env, args));
  queue = run.catch(() => undefined);
  return run;
}

async function runInProcess(env: Record<string, string>, args: string[]): Promise<CliOutcome> {
  const out: string[] = [];
  const err: string[] = [];
  const text = (parts: unknown[]) => `${parts.map((part) => (typeof part === 'string' ? part : String(part))).join(' ')}\n`;
  const saved = {
    env: { ...process.env },
    log: console.log,
    info: console.info,
    warn: console.warn,
    error: console.error,
    stdout: process.stdout.write,
    stderr: process.stderr.write,
  };
  Object.assign(process.env, { DATABASE_URL: '', ...env });
  console.log = console.info = (...parts: unknown[]) => void out.push(text(parts));
  console.warn = console.error = (...parts: unknown[]) => void err.push(text(parts));
  process.stdout.write = ((chunk: string | Uint8Array) =>
    out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) =>
    err.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')) > 0) as typeof process.stderr.write;
  process.exitCode = undefined;
  try {
    await runCli(['node', 'yingpan', ...args]);
    return { code: Number(process.exitCode ?? 0), stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.exitCode = undefined;
    for (const key of Object.keys(process.env)) if (!(key in saved.env)) delete process.env[key];
    Object.assign(process.env, saved.env);
    console.log = saved.log;
    console.info = saved.info;
    console.warn = saved.warn;
    console.error = saved.error;
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
  }
}

/** The real binary in a process of its own. */
export async function spawnYingpan(env: Record<string, string>, ...args: string[]): Promise<CliOutcome> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      env: { ...process.env, DATABASE_URL: '', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
