/**
 * `yingpan init`: on a log with no accounts, a one-time setup code for creating the first
 * administrator on the web's 首次安装 page (/setup). There is never a default password: whoever
 * reads the server's console (or runs this) chooses the first administrator's.
 *
 * `yingpan reset-totp <user name>`: the console's way back in when no other administrator can
 * reset an administrator's lost authenticator (or after the log was loaded into a new store, which
 * brings the enrolments but not the secrets): a `TotpReset` event recorded as by the console.
 */
import { accountServiceFor } from '@yingpan/api/accounts';
import { accountIdFor, DomainError } from '@yingpan/domain';
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

export function registerResetTotpCommand(program: Command, withRuntime: WithRuntime): void {
  program
    .command('reset-totp')
    .argument('<username>', 'the account whose authenticator app is lost')
    .description(
      "Removes an account's authenticator app (a TotpReset event in the log, by the console) and signs out its devices: its holder " +
        'enrols a new one at the next sign-in. For when no other administrator can do it on the web page 账户与授权.',
    )
    .option('--reason <text>', 'why, kept in the log', '控制台重置')
    .action(async (username: string, options: { reason: string }) => {
      await withRuntime(async (runtime) => {
        await runtime.projector.catchUp();
        const accounts = accountServiceFor(runtime);
        await accounts.prepare();
        try {
          await accounts.resetTotp({ personId: 'console', role: 'admin', name: null }, accountIdFor(username.trim()), options.reason);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          console.error(`${error.messages.zh} (${error.messages.en})`);
          process.exitCode = 1;
          return;
        }
        await runtime.projector.catchUp();
        console.log(`已重置 ${username} 的身份验证器 (authenticator reset): its devices are signed out; it enrols a new one at the next sign-in.`);
      });
    });
}
