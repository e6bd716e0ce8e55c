-- Sign-ins through a single sign-on provider (OpenID Connect, authorization code with PKCE) under
-- way: what the provider's answer is checked against. One row per click on the sign-on button;
-- used once, within minutes. The browser that began it holds a random binding in an HttpOnly
-- cookie (only its SHA-256 here), so an answer cannot be finished in another browser.
CREATE TABLE yingpan_auth.sso_flows (
  state_hash    bytea       PRIMARY KEY,   -- SHA-256 of the `state` sent to the provider
  binding_hash  bytea       NOT NULL,      -- SHA-256 of the browser's binding
  code_verifier text        NOT NULL,      -- PKCE: the provider's code is redeemed with it
  nonce         text        NOT NULL,      -- the ID token must carry it
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  used_at       timestamptz
);
CREATE INDEX ON yingpan_auth.sso_flows (expires_at);
