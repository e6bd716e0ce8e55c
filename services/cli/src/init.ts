/**
 * `yingpan init`: on a log with no accounts, a one-time setup code for creating the first
 * administrator on the web's 首次安装 page (/setup). There is never a default password: whoever
 * reads the server's console (or runs this) chooses the first administrator's.
 */
import { accountServiceFor } from '@yingpan/api/accounts';
import type { openRuntime } from '@yingpan/api/runtime';
import type { Command } from 'commander';

type WithRuntime = <T>(work: (runtime: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>) => Promise<T>;

export function registerInitCommand(program: Command, withRuntime: WithRuntime): void {
  program
    .command('init')
    .description(
      'First install: on a log with no accounts, print a one-time setup code (valid 24 hours) with which the first administrator ' +
        'is created on the web page /setup; exit 1 when accounts exist already.',
    )
    .option('--web <url>', 'the web address to print', process.env.WEB_URL || `http://localhost:${process.env.PORT || 3000}`)
    .action(async (options: { web: string }) => {
      await withRuntime(async (runtime) => {
        await runtime.projector.catchUp();
        const code = await accountServiceFor(runtime).issueSetupCode();
        if (!code) {
          console.error('Accounts exist already: an administrator creates further accounts on the web page 账户与授权 (/admin/accounts).');
          process.exitCode = 1;
          return;
        }
        console.log(`首次安装设置码 (first-install setup code): ${code}`);
        console.log(`Open ${options.web}/setup and enter it to create the first administrator (valid 24 hours, once).`);
      });
    });
}
