/**
 * `npm test`: every package's tests through Turborepo, in two runs at once.
 *
 * The web's build and end-to-end tests are the longest single task (minutes, and the files take turns
 * against one API), and they wait mostly on a browser and a server rather than on the processor. Turbo
 * has no task priorities and reaches the web last (it depends on every other package), so left to one
 * run the longest task would start when the others end. Here the web runs from the first second beside
 * the other packages' run, which keeps its own two lanes. The exit code is the first failure's (either
 * run's), after both have finished; extra arguments (e.g. `-- --summarize`) go to both runs.
 */
import { spawn } from 'node:child_process';

const WEB = '@yingpan/web';
const extra = process.argv.slice(2);

const runs = [
  ['run', 'test', `--filter=${WEB}`, ...extra],
  ['run', 'test', `--filter=!${WEB}`, '--concurrency=2', '--continue', ...extra],
];

const codes = await Promise.all(
  runs.map(
    (args) =>
      new Promise((resolve) => {
        const child = spawn('turbo', args, { stdio: 'inherit' });
        child.once('error', (error) => {
          console.error(`[yingpan] could not start turbo ${args.join(' ')}: ${error.message}`);
          resolve(1);
        });
        child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
      }),
  ),
);
const failed = codes.find((code) => code !== 0);
process.exit(failed ?? 0);
