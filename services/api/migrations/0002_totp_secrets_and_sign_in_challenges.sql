-- Two-step sign-in (authenticator apps, TOTP). The log records only that an authenticator was
-- enrolled or reset (TotpEnrolled, TotpReset); the shared secret, which makes codes, stays here:
-- the log is read by auditors and exported, this table is not.
CREATE TABLE yingpan_auth.totp_secrets (
  account_id     uuid        PRIMARY KEY,
  secret         text        NOT NULL,        -- base32, as the authenticator app holds it
  created_at     timestamptz NOT NULL,
  confirmed_at   timestamptz,                 -- null: shown for enrolment, not yet confirmed by a code
  last_time_step bigint                       -- the last 30-second step whose code was accepted: never again
);

-- A password that checked, awaiting the authenticator's code: a random token (only its SHA-256
-- here) that the sign-in page sends back with the code. Short-lived, a few tries.
CREATE TABLE yingpan_auth.sign_in_challenges (
  challenge_hash bytea       PRIMARY KEY,
  account_id     uuid        NOT NULL,
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  attempts       integer     NOT NULL DEFAULT 0,
  used_at        timestamptz
);
CREATE INDEX ON yingpan_auth.sign_in_challenges (account_id);
