-- Sign-in state that is not history: server-side sessions, failed sign-ins being throttled, and
-- first-install setup codes. What is history (accounts, grants, passwords, lock-outs) is in the log.
CREATE SCHEMA IF NOT EXISTS yingpan_auth;

-- One row per signed-in device. The cookie holds a random token; only its SHA-256 is kept here.
CREATE TABLE yingpan_auth.sessions (
  session_id   uuid        PRIMARY KEY,
  token_hash   bytea       NOT NULL UNIQUE,
  account_id   uuid        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,             -- the absolute timeout
  revoked_at   timestamptz,
  user_agent   text        NOT NULL DEFAULT '',
  address      text        NOT NULL DEFAULT ''
);
CREATE INDEX ON yingpan_auth.sessions (account_id) WHERE revoked_at IS NULL;

-- Failed sign-ins per key ('user:<name>' whether or not the account exists, 'addr:<address>'):
-- each failure past the free ones doubles the wait before the next attempt is heard.
CREATE TABLE yingpan_auth.sign_in_failures (
  key             text        PRIMARY KEY,
  failures        integer     NOT NULL,
  first_failed_at timestamptz NOT NULL,
  last_failed_at  timestamptz NOT NULL,
  blocked_until   timestamptz
);

-- One-time codes that let the first administrator be created on a log with no accounts.
CREATE TABLE yingpan_auth.setup_codes (
  code_hash  bytea       PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
