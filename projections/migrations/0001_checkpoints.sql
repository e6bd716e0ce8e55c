-- One row per projection: the log position its read model reflects, the version of its code,
-- and the failure that stopped it, if any.
CREATE TABLE yingpan.projection_checkpoints (
  name       text        PRIMARY KEY,
  version    integer     NOT NULL,
  position   bigint      NOT NULL,
  failure    jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);
