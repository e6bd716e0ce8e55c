-- The log's Merkle tree and its signed checkpoints (docs/decisions.md §11).
--
-- The tree is RFC 9162 §2.1's (Certificate Transparency): leaf i (0-based) is the 32 bytes of the
-- chain hash of position i + 1 (the `hash` column, hex-decoded); leaf hash SHA-256(0x00 ‖ leaf),
-- node hash SHA-256(0x01 ‖ left ‖ right). It is kept as its complete subtrees: the node at
-- (level, idx) is the hash of the 2^level leaves from idx × 2^level, stored once the last of them
-- is in the log and never changed after. Any root or proof is then O(log n) stored nodes
-- (services/event-store/src/merkle.ts, transparency.ts).

CREATE TABLE yingpan.merkle_nodes (
  level smallint NOT NULL CHECK (level >= 0 AND level < 63),
  idx   bigint   NOT NULL CHECK (idx >= 0),
  hash  bytea    NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (level, idx)
);
COMMENT ON TABLE yingpan.merkle_nodes IS 'yingpan: the complete subtrees of the log''s RFC 9162 Merkle tree (level 0: leaf hashes, leaf idx = position - 1)';

-- Every checkpoint issued (a signed note in the C2SP tlog-checkpoint format), kept for good.
CREATE TABLE yingpan.checkpoints (
  id        bigserial   PRIMARY KEY,
  origin    text        NOT NULL,
  tree_size bigint      NOT NULL CHECK (tree_size >= 0),
  root_hash bytea       NOT NULL CHECK (length(root_hash) = 32),
  key_name  text        NOT NULL,
  key_id    text        NOT NULL CHECK (key_id ~ '^[0-9a-f]{8}$'),
  note      text        NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX checkpoints_tree_size_idx ON yingpan.checkpoints (tree_size, id);
COMMENT ON TABLE yingpan.checkpoints IS 'yingpan: every signed checkpoint of the log''s Merkle tree issued';

CREATE FUNCTION yingpan.reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'yingpan.% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER merkle_nodes_append_only BEFORE UPDATE OR DELETE ON yingpan.merkle_nodes
  FOR EACH ROW EXECUTE FUNCTION yingpan.reject_change();
CREATE TRIGGER merkle_nodes_no_truncate BEFORE TRUNCATE ON yingpan.merkle_nodes
  FOR EACH STATEMENT EXECUTE FUNCTION yingpan.reject_change();
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON yingpan.checkpoints
  FOR EACH ROW EXECUTE FUNCTION yingpan.reject_change();
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON yingpan.checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION yingpan.reject_change();

-- Brings the tree up to the log: a leaf for every event after the tree's size, then, level by
-- level, the parents whose right child is new. A few set-based statements whatever the number of
-- events. Under the append lock (taken again if the caller holds it already), so it sees a
-- gap-free log and no two run at once. Returns the tree's size.
CREATE FUNCTION yingpan.merkle_catch_up() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  tree_size bigint;
  added bigint;
  lo bigint;
  hi bigint;
  lvl int := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(9464726);
  SELECT coalesce(max(n.idx) + 1, 0) INTO tree_size FROM yingpan.merkle_nodes n WHERE n.level = 0;
  INSERT INTO yingpan.merkle_nodes (level, idx, hash)
  SELECT 0, e.position - 1, sha256('\x00'::bytea || decode(e.hash, 'hex'))
    FROM yingpan.events e
   WHERE e.position > tree_size
   ORDER BY e.position;
  GET DIAGNOSTICS added = ROW_COUNT;
  IF added = 0 THEN
    RETURN tree_size;
  END IF;
  lo := tree_size;
  hi := tree_size + added - 1;
  LOOP
    -- the parents at lvl + 1 whose right child (an odd index) is among the new nodes of lvl
    INSERT INTO yingpan.merkle_nodes (level, idx, hash)
    SELECT lvl + 1, r.idx / 2, sha256('\x01'::bytea || l.hash || r.hash)
      FROM yingpan.merkle_nodes r
      JOIN yingpan.merkle_nodes l ON l.level = lvl AND l.idx = r.idx - 1
     WHERE r.level = lvl AND r.idx BETWEEN lo AND hi AND r.idx % 2 = 1;
    GET DIAGNOSTICS added = ROW_COUNT;
    EXIT WHEN added = 0;
    lo := lo / 2;
    hi := (hi - 1) / 2;
    lvl := lvl + 1;
  END LOOP;
  SELECT coalesce(max(n.idx) + 1, 0) INTO tree_size FROM yingpan.merkle_nodes n WHERE n.level = 0;
  RETURN tree_size;
END
$$;

-- Maintained as events are appended: once per INSERT statement on the log (one per append call),
-- in the append's transaction, so the tree never lags a committed event.
CREATE FUNCTION yingpan.merkle_after_append() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM yingpan.merkle_catch_up();
  RETURN NULL;
END
$$;
CREATE TRIGGER events_merkle_tree AFTER INSERT ON yingpan.events
  FOR EACH STATEMENT EXECUTE FUNCTION yingpan.merkle_after_append();

-- The events written before this migration.
SELECT yingpan.merkle_catch_up();
