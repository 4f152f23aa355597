-- ipasnd schema, version 5: personal data kept to what the index needs.
--
-- A stored record keeps the contract's fields only (the list is ipasnd's
-- own, src/model.c); a quarantined record keeps them and at most 4 KiB of
-- the rest, with known personal keys removed. The functions below cut a
-- record so; ipasnd runs them over what is already stored right after
-- this script, in the same transaction, passing its field lists. The
-- content hashes then no longer match the text: the next sync writes each
-- employee again once, with the hash of the record as ipasnd keeps it now.
--
-- Retention removes old quarantine rows, runs and the records of departed
-- employees in bounded batches (the indexes below); a full listing's
-- start time lets duplicate_record issues resolve at its end rather than
-- flap at every copy.

ALTER TABLE ipasn.sync_state ADD COLUMN listing_started_at timestamptz;

CREATE INDEX quarantine_last_seen ON ipasn.quarantine (last_seen);
CREATE INDEX sync_run_started ON ipasn.sync_run (started_at);
CREATE INDEX employee_departed ON ipasn.employee (changed_at) WHERE NOT active;

-- The object o cut to the keys of part (prefix.key pairs in nested).
CREATE FUNCTION ipasn.keep_object(o jsonb, part text, nested text[]) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_object_agg(k, v), '{}'::jsonb)
      FROM jsonb_each(o) e (k, v)
     WHERE part || '.' || k = ANY (nested)
$$;

-- A part's value: an object cut, or an array whose objects are.
CREATE FUNCTION ipasn.keep_part(v jsonb, part text, nested text[]) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE jsonb_typeof(v)
           WHEN 'object' THEN ipasn.keep_object(v, part, nested)
           WHEN 'array' THEN
               (SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(x) = 'object'
                                               THEN ipasn.keep_object(x, part, nested)
                                               ELSE x END ORDER BY n), '[]'::jsonb)
                  FROM jsonb_array_elements(v) WITH ORDINALITY a (x, n))
           ELSE v END
$$;

-- A record cut to the contract: the keys in top, each part cut to its own.
CREATE FUNCTION ipasn.keep_contract(rec jsonb, top text[], nested text[]) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_object_agg(k, CASE WHEN EXISTS (SELECT FROM unnest(nested) n
                                                          WHERE split_part(n, '.', 1) = k)
                                             THEN ipasn.keep_part(v, k, nested)
                                             ELSE v END), '{}'::jsonb)
      FROM jsonb_each(rec) e (k, v)
     WHERE k = ANY (top)
$$;

-- The text as jsonb, NULL when it is not JSON PostgreSQL takes.
CREATE FUNCTION ipasn.try_jsonb(t text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN t::jsonb;
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;
