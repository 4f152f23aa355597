-- ipasnd schema, version 6: the roster of a WS SIASN source (source.type =
-- "siasn"), every NIP of its Export Data ASN with when SIASN last answered
-- for it whole. Fetching takes the never-fetched first, then the stalest
-- older than source.siasn.refresh_every; each batch of employees is
-- committed with their fetched_at in the same transaction. A NIP that
-- leaves the roster keeps its row with left_at set (its employee goes
-- inactive, never deleted) and gets left_at cleared if it comes back.
CREATE TABLE ipasn.siasn_roster (
    instansi_id  text NOT NULL,
    nip          text NOT NULL CHECK (nip ~ '^[0-9]{18}$'),
    roster_line  integer,                       -- where the roster file lists it
    added_at     timestamptz NOT NULL DEFAULT now(),
    left_at      timestamptz,                   -- NULL while in the roster
    fetched_at   timestamptz,                   -- the last whole refresh; NULL: never
    attempted_at timestamptz,                   -- the last try, whole or not
    failures     integer NOT NULL DEFAULT 0,    -- tries failed since the last whole one
    not_found    boolean NOT NULL DEFAULT false, -- data-utama did not know it (siasn_not_found)
    PRIMARY KEY (instansi_id, nip)
);

-- What is due: never fetched first, then the stalest.
CREATE INDEX siasn_roster_due ON ipasn.siasn_roster (instansi_id, fetched_at NULLS FIRST)
    WHERE left_at IS NULL;
