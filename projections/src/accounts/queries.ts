import type { Queryable } from '@yingpan/db';
import type { GrantableRole, GrantScope } from '@yingpan/domain';
import { schemaOf } from '../engine/projection.ts';
import { directory } from '../directory/projection.ts';
import { stations } from '../stations/projection.ts';
import { accounts } from './projection.ts';

const A = schemaOf(accounts);
const D = schemaOf(directory);
const S = schemaOf(stations);

export interface AccountRow {
  accountId: string;
  username: string;
  displayName: string;
  personId: string | null;
  personName: string | null;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  createdAt: string;
  /** When an authenticator app (TOTP) was enrolled; null: none. */
  totpEnrolledAt: string | null;
}

/** An account with what sign-in needs: its password hash (never leaves the server). */
export interface AccountSecret extends AccountRow {
  passwordHash: string | null;
}

export interface GrantRow {
  grantId: string;
  accountId: string;
  role: GrantableRole;
  scope: GrantScope;
  /** The station's name for a station scope. */
  stationName: string | null;
  from: string;
  until: string | null;
  revokedOn: string | null;
  revokeReason: string | null;
  grantedBy: string;
  grantedAt: string;
  revokedBy: string | null;
  revokedAt: string | null;
}

const ACCOUNT_COLUMNS = `a.account_id, a.username, a.display_name, a.person_id, p.name AS person_name, a.must_change_password,
  a.locked_until, a.created_at, a.password_hash, a.totp_enrolled_at`;

interface RawAccount {
  account_id: string;
  username: string;
  display_name: string;
  person_id: string | null;
  person_name: string | null;
  must_change_password: boolean;
  locked_until: Date | string | null;
  created_at: Date | string;
  password_hash: string | null;
  totp_enrolled_at: Date | string | null;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

const toSecret = (row: RawAccount): AccountSecret => ({
  accountId: row.account_id,
  username: row.username,
  displayName: row.display_name,
  personId: row.person_id,
  personName: row.person_name,
  mustChangePassword: row.must_change_password,
  lockedUntil: iso(row.locked_until),
  createdAt: iso(row.created_at)!,
  passwordHash: row.password_hash,
  totpEnrolledAt: iso(row.totp_enrolled_at),
});

const toRow = (row: RawAccount): AccountRow => {
  const { passwordHash: _, ...rest } = toSecret(row);
  return rest;
};

/** How many accounts exist (none: the first install is still to be done). */
export async function accountCount(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${A}.accounts`);
  return rows[0]?.n ?? 0;
}

/** The account a user name signs in to, with its password hash; null when there is none. */
export async function accountForSignIn(db: Queryable, username: string): Promise<AccountSecret | null> {
  const { rows } = await db.query<RawAccount>(
    `SELECT ${ACCOUNT_COLUMNS} FROM ${A}.accounts a LEFT JOIN ${D}.people p USING (person_id) WHERE a.username = lower($1)`,
    [username],
  );
  return rows[0] ? toSecret(rows[0]) : null;
}

export async function accountSecretById(db: Queryable, accountId: string): Promise<AccountSecret | null> {
  const { rows } = await db.query<RawAccount>(
    `SELECT ${ACCOUNT_COLUMNS} FROM ${A}.accounts a LEFT JOIN ${D}.people p USING (person_id) WHERE a.account_id = $1`,
    [accountId],
  );
  return rows[0] ? toSecret(rows[0]) : null;
}

export async function accountById(db: Queryable, accountId: string): Promise<AccountRow | null> {
  const secret = await accountSecretById(db, accountId);
  return secret && toRow({ ...rawOf(secret) });
}

const rawOf = (account: AccountSecret): RawAccount => ({
  account_id: account.accountId,
  username: account.username,
  display_name: account.displayName,
  person_id: account.personId,
  person_name: account.personName,
  must_change_password: account.mustChangePassword,
  locked_until: account.lockedUntil,
  created_at: account.createdAt,
  password_hash: null,
  totp_enrolled_at: account.totpEnrolledAt,
});

/**
 * The names of actors as the log records them (a grant's `grantedBy`, `revokedBy`): `account:<user name>` is
 * that account's shown name; a person id is the person's name in the directory, else the shown name of an
 * account acting as them. An id none of these knows (a service, an account since renamed) has no entry.
 */
export async function actorNames(db: Queryable, actorIds: readonly string[]): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; name: string | null }>(
    `SELECT id, CASE WHEN id LIKE 'account:%'
                     THEN (SELECT a.display_name FROM ${A}.accounts a WHERE a.username = substr(id, 9))
                     WHEN id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                     THEN coalesce((SELECT p.name FROM ${D}.people p WHERE p.person_id = id::uuid),
                                   (SELECT a.display_name FROM ${A}.accounts a WHERE a.person_id = id::uuid ORDER BY a.created_at, a.username LIMIT 1))
                END AS name
       FROM unnest($1::text[]) AS id`,
    [[...new Set(actorIds)]],
  );
  return new Map(rows.flatMap((row) => (row.name === null ? [] : [[row.id, row.name] as const])));
}

/** Every account, by user name; `search` matches the user name, the shown name or the person's name. */
export async function accountList(db: Queryable, search?: string): Promise<AccountRow[]> {
  const { rows } = await db.query<RawAccount>(
    `SELECT ${ACCOUNT_COLUMNS} FROM ${A}.accounts a LEFT JOIN ${D}.people p USING (person_id)
      WHERE $1::text IS NULL OR a.username LIKE '%' || lower($1) || '%' OR a.display_name LIKE '%' || $1 || '%' OR p.name LIKE '%' || $1 || '%'
      ORDER BY a.username LIMIT 500`,
    [search?.trim() || null],
  );
  return rows.map(toRow);
}

interface RawGrant {
  grant_id: string;
  account_id: string;
  role: GrantableRole;
  scope_kind: 'county' | 'township' | 'station';
  township: string | null;
  station_id: string | null;
  station_name: string | null;
  from_on: string;
  until_on: string | null;
  revoked_on: string | null;
  revoke_reason: string | null;
  granted_by: string;
  granted_at: Date | string;
  revoked_by: string | null;
  revoked_at: Date | string | null;
}

const toGrant = (row: RawGrant): GrantRow => ({
  grantId: row.grant_id,
  accountId: row.account_id,
  role: row.role,
  scope:
    row.scope_kind === 'station'
      ? { kind: 'station', stationId: row.station_id! }
      : row.scope_kind === 'township'
        ? { kind: 'township', township: row.township! }
        : { kind: 'county' },
  stationName: row.station_name,
  from: row.from_on,
  until: row.until_on,
  revokedOn: row.revoked_on,
  revokeReason: row.revoke_reason,
  grantedBy: row.granted_by,
  grantedAt: iso(row.granted_at)!,
  revokedBy: row.revoked_by,
  revokedAt: iso(row.revoked_at),
});

const GRANT_SELECT = `SELECT g.grant_id, g.account_id, g.role, g.scope_kind, g.township, g.station_id, s.name AS station_name,
    to_char(g.from_on, 'YYYY-MM-DD') AS from_on, to_char(g.until_on, 'YYYY-MM-DD') AS until_on, to_char(g.revoked_on, 'YYYY-MM-DD') AS revoked_on,
    g.revoke_reason, g.granted_by, g.granted_at, g.revoked_by, g.revoked_at
  FROM ${A}.grants g LEFT JOIN ${S}.stations s ON s.station_id = g.station_id AND s.valid_to_position IS NULL`;

/** The grants holding on `day` (YYYY-MM-DD): begun, not ended, not revoked. */
export async function grantsOn(db: Queryable, accountId: string, day: string): Promise<GrantRow[]> {
  const { rows } = await db.query<RawGrant>(
    `${GRANT_SELECT} WHERE g.account_id = $1 AND g.from_on <= $2::date AND (g.until_on IS NULL OR g.until_on >= $2::date)
       AND (g.revoked_on IS NULL OR g.revoked_on > $2::date) ORDER BY g.granted_position`,
    [accountId, day],
  );
  return rows.map(toGrant);
}

/** Every grant an account was ever given, revoked ones included, in the order given. */
export async function grantHistory(db: Queryable, accountId: string): Promise<GrantRow[]> {
  const { rows } = await db.query<RawGrant>(`${GRANT_SELECT} WHERE g.account_id = $1 ORDER BY g.granted_position`, [accountId]);
  return rows.map(toGrant);
}

/** The stations of a township (open or closed): a township-scoped grant covers each. */
export async function stationsOfTownship(db: Queryable, township: string): Promise<string[]> {
  const { rows } = await db.query<{ station_id: string }>(`SELECT station_id FROM ${S}.stations WHERE township = $1 AND valid_to_position IS NULL`, [township]);
  return rows.map((row) => row.station_id);
}

/** Every account with a grant holding on `day`, with those grants: who could act as what that day. */
export async function accountsWithGrantsOn(db: Queryable, day: string): Promise<{ account: AccountRow; grants: GrantRow[] }[]> {
  const { rows } = await db.query<RawGrant>(
    `${GRANT_SELECT} WHERE g.from_on <= $1::date AND (g.until_on IS NULL OR g.until_on >= $1::date)
       AND (g.revoked_on IS NULL OR g.revoked_on > $1::date) ORDER BY g.account_id, g.granted_position`,
    [day],
  );
  const byAccount = new Map<string, GrantRow[]>();
  for (const grant of rows.map(toGrant)) byAccount.set(grant.accountId, [...(byAccount.get(grant.accountId) ?? []), grant]);
  const accounts = await Promise.all([...byAccount.keys()].map((accountId) => accountById(db, accountId)));
  return accounts.flatMap((account) => (account ? [{ account, grants: byAccount.get(account.accountId)! }] : []));
}

/** An identity at a single sign-on provider linked to an account. */
export interface IdentityRow {
  accountId: string;
  issuer: string;
  claim: string;
  value: string;
  linkedBy: string;
  linkedAt: string;
}

/** The identities at single sign-on providers an account is linked to. */
export async function identitiesOf(db: Queryable, accountId: string): Promise<IdentityRow[]> {
  const { rows } = await db.query<{ account_id: string; issuer: string; claim: string; value: string; linked_by: string; linked_at: Date | string }>(
    `SELECT account_id, issuer, claim, value, linked_by, linked_at FROM ${A}.identities WHERE account_id = $1 ORDER BY issuer, claim`,
    [accountId],
  );
  return rows.map((row) => ({
    accountId: row.account_id,
    issuer: row.issuer,
    claim: row.claim,
    value: row.value,
    linkedBy: row.linked_by,
    linkedAt: iso(row.linked_at)!,
  }));
}

/** The accounts linked to one identity (the provider's issuer, the claim, its value): normally one, none when unknown. */
export async function accountsOfIdentity(db: Queryable, identity: { issuer: string; claim: string; value: string }): Promise<string[]> {
  const { rows } = await db.query<{ account_id: string }>(
    `SELECT account_id FROM ${A}.identities WHERE issuer = $1 AND claim = $2 AND value = $3 ORDER BY account_id`,
    [identity.issuer, identity.claim, identity.value],
  );
  return rows.map((row) => row.account_id);
}

/** A passkey of an account, as registered (its public key only checks signatures). */
export interface PasskeyRow {
  credentialId: string;
  accountId: string;
  /** COSE public key, base64url. */
  publicKey: string;
  /** The counter when registered. */
  counter: number;
  transports: string[];
  name: string;
  registeredAt: string;
}

interface RawPasskey {
  credential_id: string;
  account_id: string;
  public_key: string;
  counter: string | number;
  transports: string[];
  name: string;
  registered_at: Date | string;
}

const toPasskey = (row: RawPasskey): PasskeyRow => ({
  credentialId: row.credential_id,
  accountId: row.account_id,
  publicKey: row.public_key,
  counter: Number(row.counter),
  transports: row.transports,
  name: row.name,
  registeredAt: iso(row.registered_at)!,
});

/** An account's passkeys, the newest first. */
export async function passkeysOf(db: Queryable, accountId: string): Promise<PasskeyRow[]> {
  const { rows } = await db.query<RawPasskey>(
    `SELECT credential_id, account_id, public_key, counter, transports, name, registered_at FROM ${A}.passkeys WHERE account_id = $1 ORDER BY position DESC`,
    [accountId],
  );
  return rows.map(toPasskey);
}

/** The passkey a sign-in names by its credential id; null when none is registered (or it was removed). */
export async function passkeyByCredential(db: Queryable, credentialId: string): Promise<PasskeyRow | null> {
  const { rows } = await db.query<RawPasskey>(
    `SELECT credential_id, account_id, public_key, counter, transports, name, registered_at FROM ${A}.passkeys WHERE credential_id = $1`,
    [credentialId],
  );
  return rows[0] ? toPasskey(rows[0]) : null;
}
