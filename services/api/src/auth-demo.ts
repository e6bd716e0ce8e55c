/**
 * Demo accounts for the demo county that `npm start` builds: an administrator, office staff, an
 * auditor, a station manager granted one station, and a deputy — each with a random password
 * chosen when the county is built and kept (owner-only) in `.data/demo-accounts.txt`, so the
 * sign-ins printed at every start keep working. Never a default password; a real county starts
 * with the first-install setup code instead (auth-accounts.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '@yingpan/db';
import type { AccountService } from './auth-accounts.ts';
import type { Actor } from './auth.ts';

export interface DemoAccount {
  username: string;
  password: string;
  label: string;
}

const INSTALLER: Actor = { personId: 'demo-county', role: 'admin', name: null };

/** Where the demo accounts of a county whose PGlite folder is `dataDir` are kept: beside that folder. */
export const demoAccountsFileFor = (dataDir: string): string => path.join(path.dirname(dataDir), 'demo-accounts.txt');

const password = () => randomBytes(12).toString('base64url');

/** Creates the demo accounts (on a log with none) and writes them to `file`; answers them. */
export async function createDemoAccounts(accounts: AccountService, db: Db, file: string): Promise<DemoAccount[]> {
  await accounts.prepare();
  const { rows: managers } = await db.query<{ station_id: string; person_id: string; name: string }>(
    `SELECT m.station_id, m.person_id, s.name FROM rm_stations.managers m
       JOIN rm_stations.stations s ON s.station_id = m.station_id AND s.valid_to_position IS NULL
      WHERE m.valid_to_position IS NULL AND m.to_on IS NULL ORDER BY s.name LIMIT 1`,
  );
  const { rows: deputies } = await db.query<{ person_id: string }>(
    `SELECT person_id FROM rm_mandates.mandates WHERE kind = 'deputy' ORDER BY starts_on DESC, person_id LIMIT 1`,
  );
  const made: DemoAccount[] = [];
  const make = async (username: string, displayName: string, label: string, personId: string | null) => {
    const secret = password();
    const accountId = await accounts.createAccount(INSTALLER, { username, displayName, password: secret, personId });
    made.push({ username, password: secret, label });
    return accountId;
  };
  for (const [username, displayName, role] of [
    ['demo-admin', '演示管理员', 'admin'],
    ['demo-staff', '演示工作人员', 'staff'],
    ['demo-auditor', '演示审计员', 'auditor'],
  ] as const) {
    // Administrators and auditors enrol an authenticator app at their first sign-in.
    const label = role === 'staff' ? `${displayName} (${role})` : `${displayName} (${role}; 首次登录须绑定身份验证器 / enrol an authenticator app first)`;
    const accountId = await make(username, displayName, label, null);
    await accounts.grantRole(INSTALLER, { accountId, role, scope: { kind: 'county' } });
  }
  const manager = managers[0];
  if (manager) {
    const accountId = await make('demo-zhanzhang', '演示站长', `站点负责人 · ${manager.name} (station-manager)`, manager.person_id);
    await accounts.grantRole(INSTALLER, { accountId, role: 'station-manager', scope: { kind: 'station', stationId: manager.station_id } });
  }
  const deputy = deputies[0];
  if (deputy) {
    const accountId = await make('demo-daibiao', '演示代表', '人大代表 (deputy)', deputy.person_id);
    await accounts.grantRole(INSTALLER, { accountId, role: 'deputy', scope: { kind: 'county' } });
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${made.map((account) => `${account.username}\t${account.password}\t${account.label}`).join('\n')}\n`, { mode: 0o600 });
  return made;
}

/** The demo accounts kept in `file`, if any. */
export function readDemoAccounts(file: string): DemoAccount[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [username = '', password = '', label = ''] = line.split('\t');
      return { username, password, label };
    });
}
