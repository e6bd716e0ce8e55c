-- Passkey sign-in (WebAuthn). The passkeys themselves — credential id, public key, name — are events
-- in the log (PasskeyRegistered, PasskeyRemoved), in the accounts read model; what is not history is
-- here: the one-time challenges an authenticator signs, and the last signature counter a sign-in saw.

-- A challenge handed to a browser for an authenticator to sign (only its SHA-256 here): used once,
-- within minutes. Adding a passkey names the account signed in; signing in names none (the
-- passkey names its account).
CREATE TABLE yingpan_auth.passkey_challenges (
  challenge_hash bytea       PRIMARY KEY,
  purpose        text        NOT NULL CHECK (purpose IN ('register', 'sign-in')),
  account_id     uuid,
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  used_at        timestamptz
);
CREATE INDEX ON yingpan_auth.passkey_challenges (expires_at);

-- The authenticator's signature counter at its last sign-in: a later sign-in with a counter not above
-- it is refused (a cloned security key). Phones' passkeys keep no counter (always 0) and are not held to it.
CREATE TABLE yingpan_auth.passkey_sign_ins (
  credential_id text        PRIMARY KEY,
  counter       bigint      NOT NULL,
  last_used_at  timestamptz NOT NULL
);

-- The passkey a session was opened with: removing the passkey signs those devices out, and such a
-- session is two factors (the device and its holder's fingerprint, face or PIN).
ALTER TABLE yingpan_auth.sessions ADD COLUMN passkey_credential_id text;
CREATE INDEX ON yingpan_auth.sessions (passkey_credential_id) WHERE passkey_credential_id IS NOT NULL;
