/**
 * Accounts and their grants, from the account streams: what sign-in reads (a user name's account,
 * its password hash, a lock-out, whether an authenticator is enrolled), what a request's roles come from (the grants holding today), and
 * the administrators' list of accounts with each grant's history (who granted and revoked it, when),
 * and each account's passkeys (the public key a passkey sign-in is checked against).
 */
import { defineProjection } from '../engine/projection.ts';

export const ACCOUNT_EVENTS = [
  'AccountCreated',
  'AccountLinkedToPerson',
  'RoleGranted',
  'RoleRevoked',
  'PasswordSet',
  'PasswordReset',
  'SignInLockedOut',
  'TotpEnrolled',
  'TotpReset',
  'AccountLinkedToIdentityProvider',
  'AccountUnlinkedFromIdentityProvider',
  'PasskeyRegistered',
  'PasskeyRemoved',
] as const;

export const accounts = defineProjection({
  name: 'accounts',
  version: 4,
  handles: ACCOUNT_EVENTS,
  tables: (schema) => `
    CREATE TABLE ${schema}.accounts (
      account_id           uuid        PRIMARY KEY,
      username             text        NOT NULL UNIQUE,
      display_name         text        NOT NULL,
      person_id            uuid,
      password_hash        text,
      must_change_password boolean     NOT NULL DEFAULT false,
      password_set_at      timestamptz,
      locked_until         timestamptz,
      first_install        boolean     NOT NULL,
      totp_enrolled_at     timestamptz,            -- an authenticator is enrolled (the secret is not here: yingpan_auth)
      created_at           timestamptz NOT NULL
    );
    CREATE INDEX ON ${schema}.accounts (person_id);
    CREATE TABLE ${schema}.grants (
      grant_id      uuid        PRIMARY KEY,
      account_id    uuid        NOT NULL,
      role          text        NOT NULL,
      scope_kind    text        NOT NULL,   -- county | township | station
      township      text,
      station_id    uuid,
      from_on       date        NOT NULL,
      until_on      date,
      revoked_on    date,
      revoke_reason text,
      granted_by    text        NOT NULL,
      granted_at    timestamptz NOT NULL,
      granted_position bigint   NOT NULL,
      revoked_by    text,
      revoked_at    timestamptz
    );
    CREATE INDEX ON ${schema}.grants (account_id);
    CREATE INDEX ON ${schema}.grants (station_id);
    CREATE INDEX ON ${schema}.grants (township);
    -- Identities at single sign-on providers (OpenID Connect) linked to accounts: sign-in finds the account by the claim's value.
    CREATE TABLE ${schema}.identities (
      account_id uuid        NOT NULL,
      issuer     text        NOT NULL,
      claim      text        NOT NULL,
      value      text        NOT NULL,
      linked_by  text        NOT NULL,
      linked_at  timestamptz NOT NULL,
      PRIMARY KEY (account_id, issuer, claim)
    );
    CREATE INDEX ON ${schema}.identities (issuer, claim, value);
    -- Passkeys registered and not removed. The counter here is the one registered; the last one a
    -- sign-in saw is state, kept by the sign-in service (yingpan_auth.passkey_sign_ins).
    CREATE TABLE ${schema}.passkeys (
      credential_id text        PRIMARY KEY,
      account_id    uuid        NOT NULL,
      public_key    text        NOT NULL,
      counter       bigint      NOT NULL,
      transports    text[]      NOT NULL,
      name          text        NOT NULL,
      registered_at timestamptz NOT NULL,
      position      bigint      NOT NULL
    );
    CREATE INDEX ON ${schema}.passkeys (account_id);`,
  async apply(tx, schema, event) {
    const by = event.metadata.recordedBy.personId;
    const at = event.metadata.recordedAt;
    switch (event.type) {
      case 'AccountCreated':
        await tx.query(`INSERT INTO ${schema}.accounts (account_id, username, display_name, first_install, created_at) VALUES ($1, $2, $3, $4, $5)`, [
          event.data.accountId,
          event.data.username,
          event.data.displayName,
          event.data.firstInstall,
          at,
        ]);
        return;
      case 'AccountLinkedToPerson':
        await tx.query(`UPDATE ${schema}.accounts SET person_id = $2 WHERE account_id = $1`, [event.data.accountId, event.data.personId]);
        return;
      case 'PasswordSet':
      case 'PasswordReset':
        await tx.query(
          `UPDATE ${schema}.accounts SET password_hash = $2, must_change_password = $3, password_set_at = $4, locked_until = NULL WHERE account_id = $1`,
          [event.data.accountId, event.data.passwordHash, event.type === 'PasswordReset', at],
        );
        return;
      case 'SignInLockedOut':
        await tx.query(`UPDATE ${schema}.accounts SET locked_until = $2 WHERE account_id = $1`, [event.data.accountId, event.data.until]);
        return;
      case 'TotpEnrolled':
      case 'TotpReset':
        await tx.query(`UPDATE ${schema}.accounts SET totp_enrolled_at = $2 WHERE account_id = $1`, [
          event.data.accountId,
          event.type === 'TotpEnrolled' ? at : null,
        ]);
        return;
      case 'AccountLinkedToIdentityProvider':
        await tx.query(
          `INSERT INTO ${schema}.identities (account_id, issuer, claim, value, linked_by, linked_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (account_id, issuer, claim) DO UPDATE SET value = excluded.value, linked_by = excluded.linked_by, linked_at = excluded.linked_at`,
          [event.data.accountId, event.data.issuer, event.data.claim, event.data.value, by, at],
        );
        return;
      case 'AccountUnlinkedFromIdentityProvider':
        await tx.query(`DELETE FROM ${schema}.identities WHERE account_id = $1 AND issuer = $2 AND claim = $3 AND value = $4`, [
          event.data.accountId,
          event.data.issuer,
          event.data.claim,
          event.data.value,
        ]);
        return;
      case 'PasskeyRegistered':
        // A credential is registered once (the sign-in service looks it up first); a second registration of it keeps the first.
        await tx.query(
          `INSERT INTO ${schema}.passkeys (credential_id, account_id, public_key, counter, transports, name, registered_at, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (credential_id) DO NOTHING`,
          [event.data.credentialId, event.data.accountId, event.data.publicKey, event.data.counter, event.data.transports, event.data.name, at, event.position],
        );
        return;
      case 'PasskeyRemoved':
        await tx.query(`DELETE FROM ${schema}.passkeys WHERE credential_id = $1 AND account_id = $2`, [event.data.credentialId, event.data.accountId]);
        return;
      case 'RoleGranted': {
        const { scope } = event.data;
        await tx.query(
          `INSERT INTO ${schema}.grants (grant_id, account_id, role, scope_kind, township, station_id, from_on, until_on, granted_by, granted_at, granted_position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            event.data.grantId,
            event.data.accountId,
            event.data.role,
            scope.kind,
            scope.kind === 'township' ? scope.township : null,
            scope.kind === 'station' ? scope.stationId : null,
            event.data.from,
            event.data.until,
            by,
            at,
            event.position,
          ],
        );
        return;
      }
      case 'RoleRevoked':
        await tx.query(`UPDATE ${schema}.grants SET revoked_on = $2, revoke_reason = $3, revoked_by = $4, revoked_at = $5 WHERE grant_id = $1`, [
          event.data.grantId,
          event.data.on,
          event.data.reason,
          by,
          at,
        ]);
        return;
    }
  },
});
