-- The global event log. Auditors may query it directly; nothing in it is ever updated or deleted.
CREATE TABLE yingpan.events (
  position       bigint      PRIMARY KEY,            -- 1, 2, 3 … no gaps, in commit order
  event_id       uuid        NOT NULL UNIQUE,        -- chosen by the writer; a retry with the same id writes nothing
  stream_id      text        NOT NULL,               -- "<category>:<id>", e.g. "person:…", "training:…"
  stream_version integer     NOT NULL CHECK (stream_version >= 1),
  type           text        NOT NULL,               -- e.g. TrainingAttendanceRecorded
  schema_version integer     NOT NULL CHECK (schema_version >= 1),
  data           jsonb       NOT NULL,
  metadata       jsonb       NOT NULL,               -- recordedBy {personId, role}, correlationId, causationId, commandId
  occurred_at    timestamptz NOT NULL,               -- when the act happened
  recorded_at    timestamptz NOT NULL,               -- when it entered the log (store clock)
  prev_hash      text        NOT NULL,               -- hash of position - 1 (64 zeros for position 1)
  hash           text        NOT NULL,               -- sha256(prev_hash || "\n" || canonical content), hex
  UNIQUE (stream_id, stream_version)
);

CREATE INDEX events_type_idx ON yingpan.events (type, position);
CREATE INDEX events_occurred_at_idx ON yingpan.events (occurred_at);
CREATE INDEX events_recorded_at_idx ON yingpan.events (recorded_at);

COMMENT ON TABLE yingpan.events IS 'yingpan: the immutable, hash-chained log of every act of duty performance';

CREATE FUNCTION yingpan.reject_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'yingpan.events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Correct a record by appending a correction event that points at the original.';
END
$$;

CREATE TRIGGER events_append_only
  BEFORE UPDATE OR DELETE ON yingpan.events
  FOR EACH ROW EXECUTE FUNCTION yingpan.reject_event_change();

CREATE TRIGGER events_no_truncate
  BEFORE TRUNCATE ON yingpan.events
  FOR EACH STATEMENT EXECUTE FUNCTION yingpan.reject_event_change();
