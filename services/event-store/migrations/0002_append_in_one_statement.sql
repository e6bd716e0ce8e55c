-- Appends in one statement (docs/decisions.md §1–2). The hash chain's link is computed by the
-- database, under the append lock, so an append is one round trip in autocommit instead of a
-- transaction of five (BEGIN, lock, read the head, insert, COMMIT).
--
-- chain_version 2: hash(n) = sha256( hash(n-1) "\n" "yingpan-chain:v2" "\n" position "\n"
--                                    stream_version "\n" recordedAt "\n" body(n) )
-- where body(n) = sha256(canonicalJson(id, stream, type, schema version, data, metadata without
-- recordedAt)), computed by the writer (services/event-store/src/hash.ts) and recomputed by
-- every verifier. Rows written before this migration keep chain_version 1 (the whole canonical
-- content hashed by the writer) and verify as before.
ALTER TABLE yingpan.events ADD COLUMN chain_version smallint NOT NULL DEFAULT 1 CHECK (chain_version IN (1, 2));

-- The requests of one call, in order: p_streams / p_expected / p_counts per request (expected:
-- n >= 0 exact, -1 any, -2 no stream, -3 stream exists), the rest per event, request by request.
-- Each request is checked as if it ran alone (its expected version, its idempotency), earlier
-- requests of the call included. p_isolate: a refused request is answered and the others go on;
-- otherwise the first refusal means nothing is written. Returns one row per request:
--   outcome 'appended' | 'duplicate' (positions, version)
--         | 'conflict' (version = the stream's actual version)
--         | 'idempotency' (ids = the request's ids already stored elsewhere or in part)
CREATE FUNCTION yingpan.append_events(
  p_isolate boolean,
  p_streams text[],
  p_expected bigint[],
  p_counts int[],
  p_ids uuid[],
  p_types text[],
  p_schema_versions int[],
  p_data jsonb[],
  p_metadata jsonb[],
  p_occurred_at timestamptz[],
  p_bodies text[],
  p_channel text
) RETURNS TABLE (request int, outcome text, positions bigint[], version int, ids uuid[])
LANGUAGE plpgsql AS $$
DECLARE
  head_position bigint;
  head_hash text;
  now_at timestamptz;
  now_text text;
  -- ids already stored (and those stored earlier in this call), with where they are
  ex_ids uuid[];
  ex_streams text[];
  ex_versions int[];
  ex_positions bigint[];
  -- each stream of the call and its version
  st_ids text[];
  st_versions int[];
  -- the rows to insert
  r_positions bigint[] := '{}';
  r_ids uuid[] := '{}';
  r_streams text[] := '{}';
  r_versions int[] := '{}';
  r_types text[] := '{}';
  r_schema_versions int[] := '{}';
  r_data jsonb[] := '{}';
  r_metadata jsonb[] := '{}';
  r_occurred_at timestamptz[] := '{}';
  r_prev text[] := '{}';
  r_hashes text[] := '{}';
  refused boolean := false;
  first int := 0;
  n int;
  e int;
  found_ids uuid[];
  found_positions bigint[];
  found_version int;
  foreign_stream boolean;
  hit int;
  stream_at int;
  current_version int;
  expected bigint;
  link text;
BEGIN
  PERFORM pg_advisory_xact_lock(9464726);
  -- A volatile function's statements each take a new snapshot: this one sees every append that
  -- committed before the lock was granted.
  SELECT ev.position, ev.hash INTO head_position, head_hash FROM yingpan.events ev ORDER BY ev.position DESC LIMIT 1;
  head_position := coalesce(head_position, 0);
  head_hash := coalesce(head_hash, repeat('0', 64));
  now_at := date_trunc('milliseconds', clock_timestamp());
  now_text := to_char(now_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

  SELECT coalesce(array_agg(ev.event_id), '{}'), coalesce(array_agg(ev.stream_id), '{}'),
         coalesce(array_agg(ev.stream_version), '{}'), coalesce(array_agg(ev.position), '{}')
    INTO ex_ids, ex_streams, ex_versions, ex_positions
    FROM yingpan.events ev WHERE ev.event_id = ANY(p_ids);

  SELECT array_agg(s.stream_id), array_agg(coalesce(v.stream_version, 0))
    INTO st_ids, st_versions
    FROM (SELECT DISTINCT unnest(p_streams) AS stream_id) AS s
    LEFT JOIN LATERAL (SELECT ev.stream_version FROM yingpan.events ev WHERE ev.stream_id = s.stream_id
                       ORDER BY ev.stream_version DESC LIMIT 1) AS v ON true;

  FOR req IN 1 .. coalesce(array_length(p_streams, 1), 0) LOOP
    n := p_counts[req];
    found_ids := '{}';
    found_positions := '{}';
    found_version := 0;
    foreign_stream := false;
    FOR e IN first + 1 .. first + n LOOP
      hit := array_position(ex_ids, p_ids[e]);
      IF hit IS NOT NULL THEN
        found_ids := found_ids || p_ids[e];
        found_positions := found_positions || ex_positions[hit];
        found_version := greatest(found_version, ex_versions[hit]);
        foreign_stream := foreign_stream OR ex_streams[hit] <> p_streams[req];
      END IF;
    END LOOP;

    IF cardinality(found_ids) = n AND NOT foreign_stream THEN
      request := req; outcome := 'duplicate'; positions := found_positions; version := found_version; ids := NULL;
      RETURN NEXT;
    ELSIF cardinality(found_ids) > 0 THEN
      request := req; outcome := 'idempotency'; positions := NULL; version := NULL; ids := found_ids;
      refused := true;
      RETURN NEXT;
    ELSE
      stream_at := array_position(st_ids, p_streams[req]);
      current_version := st_versions[stream_at];
      expected := p_expected[req];
      IF NOT (expected = -1 OR (expected = -2 AND current_version = 0) OR (expected = -3 AND current_version > 0)
              OR expected = current_version) THEN
        request := req; outcome := 'conflict'; positions := NULL; version := current_version; ids := NULL;
        refused := true;
        RETURN NEXT;
      ELSE
        positions := '{}';
        FOR e IN first + 1 .. first + n LOOP
          head_position := head_position + 1;
          current_version := current_version + 1;
          link := encode(sha256(convert_to(
                    head_hash || E'\n' || 'yingpan-chain:v2' || E'\n' || head_position::text || E'\n'
                    || current_version::text || E'\n' || now_text || E'\n' || p_bodies[e], 'UTF8')), 'hex');
          r_positions := r_positions || head_position;
          r_ids := r_ids || p_ids[e];
          r_streams := r_streams || p_streams[req];
          r_versions := r_versions || current_version;
          r_types := r_types || p_types[e];
          r_schema_versions := r_schema_versions || p_schema_versions[e];
          r_data := r_data || p_data[e];
          r_metadata := r_metadata || p_metadata[e];
          r_occurred_at := r_occurred_at || p_occurred_at[e];
          r_prev := r_prev || head_hash;
          r_hashes := r_hashes || link;
          -- A retry of this request later in the call finds it as stored.
          ex_ids := ex_ids || p_ids[e];
          ex_streams := ex_streams || p_streams[req];
          ex_versions := ex_versions || current_version;
          ex_positions := ex_positions || head_position;
          positions := positions || head_position;
          head_hash := link;
        END LOOP;
        st_versions[stream_at] := current_version;
        request := req; outcome := 'appended'; version := current_version; ids := NULL;
        RETURN NEXT;
      END IF;
    END IF;
    first := first + n;
  END LOOP;

  IF (refused AND NOT p_isolate) OR cardinality(r_positions) = 0 THEN
    RETURN;
  END IF;
  INSERT INTO yingpan.events (position, event_id, stream_id, stream_version, type, schema_version, data, metadata,
                              occurred_at, recorded_at, prev_hash, hash, chain_version)
  SELECT u.position, u.event_id, u.stream_id, u.stream_version, u.type, u.schema_version, u.data, u.metadata,
         u.occurred_at, now_at, u.prev_hash, u.hash, 2
    FROM unnest(r_positions, r_ids, r_streams, r_versions, r_types, r_schema_versions, r_data, r_metadata,
                r_occurred_at, r_prev, r_hashes)
         AS u(position, event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, prev_hash, hash);
  PERFORM pg_notify(p_channel, head_position::text);
END
$$;
