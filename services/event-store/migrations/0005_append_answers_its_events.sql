-- The append answers what it appended (docs/decisions.md §1): with p_with_events, after its one
-- row per request (as in migration 0003) it returns one row per appended event, in log order:
--   request 0, outcome 'event', positions {the event's position}, version (its stream version),
--   hash, prev_hash and recorded_at (the time the call recorded for all its events).
-- The writer holds everything else it stored (id, stream, type, data, metadata, occurred_at), so
-- the appended events are known without reading them back after the append. Otherwise the
-- function is migration 0003's, unchanged.

CREATE FUNCTION yingpan.append_events(
  p_isolate boolean,
  p_streams text[],
  p_request_stream int[],
  p_expected bigint[],
  p_counts int[],
  p_first_of int[],
  p_event_streams text[],
  p_ids uuid[],
  p_types text[],
  p_schema_versions int[],
  p_data jsonb[],
  p_metadata jsonb[],
  p_occurred_at timestamptz[],
  p_bodies text[],
  p_channel text,
  p_chain_version int,
  p_with_events boolean
) RETURNS TABLE (request int, outcome text, positions bigint[], version int, ids uuid[], hash text, prev_hash text,
                recorded_at timestamptz)
LANGUAGE plpgsql AS $$
-- Cost stays linear in the events of a call: the loops index only arrays of fixed-width values
-- without nulls (0 stands for "none"), which PostgreSQL reads in constant time; the variable-width
-- inputs (data, bodies …) are read once, in order, by FOREACH or unnest.
DECLARE
  requests int := coalesce(array_length(p_counts, 1), 0);
  events int := coalesce(array_length(p_ids, 1), 0);
  head_position bigint;
  head_hash text;
  now_at timestamptz;
  now_text text;
  -- the call's ids stored already (usually none), with where they are
  stored_ids uuid[];
  stored_positions bigint[];
  stored_versions int[];
  stored_streams text[];
  -- per event: where this call appends it (0: it does not)
  new_position bigint[] := array_fill(0::bigint, ARRAY[events]);
  new_version int[] := array_fill(0, ARRAY[events]);
  -- each stream's version, as p_streams
  st_versions int[];
  -- the chain, per event (empty for an event not appended)
  prev_hashes text[] := '{}';
  hashes text[] := '{}';
  appended int := 0;
  refused boolean := false;
  first int := 0;
  n int;
  e int;
  other int;
  hit int;
  body text;
  found_ids uuid[];
  found_positions bigint[];
  found_version int;
  elsewhere boolean;
  current_version int;
  expected bigint;
  tag text;
BEGIN
  IF p_chain_version IS NULL OR p_chain_version NOT IN (2, 3) THEN
    RAISE EXCEPTION 'yingpan.append_events writes chain version 2 or 3, not %', p_chain_version
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  tag := 'yingpan-chain:v' || p_chain_version::text;
  PERFORM pg_advisory_xact_lock(9464726);
  -- A volatile function's statements each take a new snapshot: this one sees every append that
  -- committed before the lock was granted.
  SELECT ev.position, ev.hash INTO head_position, head_hash FROM yingpan.events ev ORDER BY ev.position DESC LIMIT 1;
  head_position := coalesce(head_position, 0);
  head_hash := coalesce(head_hash, repeat('0', 64));
  now_at := date_trunc('milliseconds', clock_timestamp());
  now_text := to_char(now_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

  -- One index lookup per id, whatever the plan cache decided when the table was small (a cached
  -- generic plan for "event_id = ANY(array)" can be a sequential scan, which grows with the log).
  SELECT coalesce(array_agg(ev.event_id), '{}'), coalesce(array_agg(ev.position), '{}'),
         coalesce(array_agg(ev.stream_version), '{}'), coalesce(array_agg(ev.stream_id), '{}')
    INTO stored_ids, stored_positions, stored_versions, stored_streams
    FROM unnest(p_ids) AS u(id)
    CROSS JOIN LATERAL (SELECT e.event_id, e.position, e.stream_version, e.stream_id FROM yingpan.events e
                         WHERE e.event_id = u.id LIMIT 1) AS ev;
  SELECT array_agg(coalesce((SELECT ev.stream_version FROM yingpan.events ev WHERE ev.stream_id = d.stream_id
                             ORDER BY ev.stream_version DESC LIMIT 1), 0) ORDER BY d.ord)
    INTO st_versions
    FROM unnest(p_streams) WITH ORDINALITY AS d(stream_id, ord);

  FOR req IN 1 .. requests LOOP
    n := p_counts[req];
    found_ids := '{}';
    found_positions := '{}';
    found_version := 0;
    elsewhere := false;
    FOR e IN first + 1 .. first + n LOOP
      other := p_first_of[e];
      hit := CASE WHEN cardinality(stored_ids) = 0 THEN NULL ELSE array_position(stored_ids, p_ids[e]) END;
      IF hit IS NOT NULL THEN
        found_positions := found_positions || stored_positions[hit];
        found_version := greatest(found_version, stored_versions[hit]);
        elsewhere := elsewhere OR stored_streams[hit] <> p_streams[p_request_stream[req]];
      ELSIF other < e AND new_position[other] <> 0 THEN
        -- appended earlier in this call (a retry within one group commit)
        found_positions := found_positions || new_position[other];
        found_version := greatest(found_version, new_version[other]);
        elsewhere := elsewhere OR p_event_streams[other] <> p_event_streams[e];
      ELSE
        CONTINUE;
      END IF;
      found_ids := found_ids || p_ids[e];
    END LOOP;

    IF cardinality(found_ids) = n AND NOT elsewhere THEN
      request := req; outcome := 'duplicate'; positions := found_positions; version := found_version; ids := NULL;
      RETURN NEXT;
    ELSIF cardinality(found_ids) > 0 THEN
      request := req; outcome := 'idempotency'; positions := NULL; version := NULL; ids := found_ids;
      refused := true;
      RETURN NEXT;
    ELSE
      current_version := st_versions[p_request_stream[req]];
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
          new_position[e] := head_position;
          new_version[e] := current_version;
          positions := positions || head_position;
        END LOOP;
        appended := appended + n;
        st_versions[p_request_stream[req]] := current_version;
        request := req; outcome := 'appended'; version := current_version; ids := NULL;
        RETURN NEXT;
      END IF;
    END IF;
    first := first + n;
  END LOOP;

  IF (refused AND NOT p_isolate) OR appended = 0 THEN
    RETURN;
  END IF;

  -- The chain, in log order (a call's events are appended in their order in the call).
  e := 0;
  FOREACH body IN ARRAY p_bodies LOOP
    e := e + 1;
    IF new_position[e] = 0 THEN
      prev_hashes := prev_hashes || ''::text;
      hashes := hashes || ''::text;
      CONTINUE;
    END IF;
    prev_hashes := prev_hashes || head_hash;
    head_hash := encode(sha256(convert_to(
                   head_hash || E'\n' || tag || E'\n' || new_position[e]::text || E'\n'
                   || new_version[e]::text || E'\n' || now_text || E'\n' || body, 'UTF8')), 'hex');
    hashes := hashes || head_hash;
  END LOOP;

  INSERT INTO yingpan.events (position, event_id, stream_id, stream_version, type, schema_version, data, metadata,
                              occurred_at, recorded_at, prev_hash, hash, chain_version)
  SELECT u.position, u.id, u.stream_id, u.version, u.type, u.schema_version, u.data, u.metadata, u.occurred_at, now_at,
         u.prev_hash, u.hash, p_chain_version
    FROM unnest(new_position, p_ids, p_event_streams, new_version, p_types, p_schema_versions, p_data, p_metadata,
                p_occurred_at, prev_hashes, hashes)
           AS u(position, id, stream_id, version, type, schema_version, data, metadata, occurred_at, prev_hash, hash)
   WHERE u.position <> 0;
  PERFORM pg_notify(p_channel, head_position::text);
  IF p_with_events THEN
    -- Each appended event as the log now holds it, less what the caller sent: no read after the append.
    RETURN QUERY
      SELECT 0, 'event'::text, ARRAY[u.position], u.version, NULL::uuid[], u.hash, u.prev_hash, now_at
        FROM unnest(new_position, new_version, prev_hashes, hashes) AS u(position, version, prev_hash, hash)
       WHERE u.position <> 0
       ORDER BY u.position;
  END IF;
END
$$;

-- The call of migration 0003 (sixteen arguments), kept for a writer started before this migration:
-- the same rows as before, one per request.
CREATE OR REPLACE FUNCTION yingpan.append_events(
  p_isolate boolean,
  p_streams text[],
  p_request_stream int[],
  p_expected bigint[],
  p_counts int[],
  p_first_of int[],
  p_event_streams text[],
  p_ids uuid[],
  p_types text[],
  p_schema_versions int[],
  p_data jsonb[],
  p_metadata jsonb[],
  p_occurred_at timestamptz[],
  p_bodies text[],
  p_channel text,
  p_chain_version int
) RETURNS TABLE (request int, outcome text, positions bigint[], version int, ids uuid[])
LANGUAGE sql AS $$
  SELECT a.request, a.outcome, a.positions, a.version, a.ids
    FROM yingpan.append_events(p_isolate, p_streams, p_request_stream, p_expected, p_counts, p_first_of, p_event_streams, p_ids,
                               p_types, p_schema_versions, p_data, p_metadata, p_occurred_at, p_bodies, p_channel, p_chain_version,
                               false) AS a
$$;
