-- ipasnd schema, version 1.
--
-- Every table keeps instansi_id, the source.instansi_id of the ipasnd that
-- wrote the row ('' for a database that holds one instansi), so the schema
-- distributes on it unchanged (Citus); every primary key starts with it. Scores and points are numeric
-- with two decimals. Employees are never deleted: they become inactive.

CREATE SCHEMA IF NOT EXISTS ipasn;

-- One row per employee, the latest SIMPEG record. raw is the record's JSON
-- text as received, the text content_hash is computed over; a recompute
-- decodes it again, so scores never depend on a lossy copy.
CREATE TABLE ipasn.employee (
    instansi_id       text NOT NULL,
    nip               text NOT NULL,
    pns_id            text,
    name              text NOT NULL,
    title_front       text,
    title_back        text,
    birth_date        date,
    sex               text,
    status            text NOT NULL,        -- PNS, CPNS, PPPK or ''
    status_cpns_pns   text,
    kedudukan_id      text,
    kedudukan_name    text,
    tmt_cpns          date,
    tmt_pns           date,
    position_type_id  text,
    position          text NOT NULL,        -- struktural, fungsional, pelaksana, unknown
    position_name     text,
    eselon_id         text,
    eselon            text,
    eselon_level      smallint NOT NULL DEFAULT 0,
    grade_id          text,
    grade             text,
    edu_level_id      text,
    instansi_induk_id   text,
    instansi_induk_name text,
    opd_id            text,
    opd_name          text,
    unor_id           text,
    unor_name         text,
    updated_at        timestamptz,
    deleted           boolean NOT NULL DEFAULT false,
    active            boolean NOT NULL DEFAULT true,
    content_hash      bigint NOT NULL,
    raw               text COMPRESSION lz4 NOT NULL,  -- lz4: a tenth of pglz's cost
    first_seen        timestamptz NOT NULL DEFAULT now(),
    changed_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (instansi_id, nip)
);
CREATE INDEX employee_opd ON ipasn.employee (instansi_id, opd_id) WHERE active;
CREATE INDEX employee_nip ON ipasn.employee (nip);

-- Histories, replaced whole when their employee changes. seq is the
-- position in the SIMPEG array (the field paths of issues use it).
CREATE TABLE ipasn.education (
    instansi_id text NOT NULL,
    nip         text NOT NULL,
    seq         integer NOT NULL,
    id          text,
    level_id    text,
    level_name  text,
    name        text,
    grad_year   integer,
    grad_date   date,
    PRIMARY KEY (instansi_id, nip, seq)
);

CREATE TABLE ipasn.leadership_training (
    instansi_id text NOT NULL,
    nip         text NOT NULL,
    seq         integer NOT NULL,
    id          text,
    type_id     text,
    name        text,
    start_date  date,
    end_date    date,
    year        integer,
    hours       integer,
    PRIMARY KEY (instansi_id, nip, seq)
);

CREATE TABLE ipasn.course (
    instansi_id text NOT NULL,
    nip         text NOT NULL,
    seq         integer NOT NULL,
    id          text,
    kind_id     text,
    kind_name   text,
    name        text,
    hours       integer,
    start_date  date,
    end_date    date,
    year        integer,
    PRIMARY KEY (instansi_id, nip, seq)
);

CREATE TABLE ipasn.skp (
    instansi_id text NOT NULL,
    nip         text NOT NULL,
    seq         integer NOT NULL,
    id          text,
    year        integer,
    score       numeric(7,2),
    PRIMARY KEY (instansi_id, nip, seq)
);

CREATE TABLE ipasn.skp22 (
    instansi_id text NOT NULL,
    nip         text NOT NULL,
    seq         integer NOT NULL,
    id          text,
    year        integer,
    predikat    text,
    value       text,
    PRIMARY KEY (instansi_id, nip, seq)
);

CREATE TABLE ipasn.sanction (
    instansi_id text NOT NULL,
    nip         text NOT NULL,
    seq         integer NOT NULL,
    id          text,
    level_id    text,
    type_name   text,
    sk_date     date,
    tmt         date,
    end_date    date,
    annulled    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (instansi_id, nip, seq)
);

-- The official BKN value SIMPEG carries (ipAsn), beside ipasnd's own.
CREATE TABLE ipasn.official_ipasn (
    instansi_id   text NOT NULL,
    nip           text NOT NULL,
    year          integer NOT NULL,
    qualification numeric(5,2),
    competency    numeric(5,2),
    performance   numeric(5,2),
    discipline    numeric(5,2),
    total         numeric(5,2),
    PRIMARY KEY (instansi_id, nip)
);

-- ipasnd's score of an employee for a period, with every indicator (NULL
-- when the indicator does not apply to the position) and every gap (the
-- points closing it would add; 0 when there is none).
CREATE TABLE ipasn.employee_score (
    instansi_id         text NOT NULL,
    nip                 text NOT NULL,
    period              integer NOT NULL,
    ruleset             text NOT NULL,
    as_of               date NOT NULL,
    in_scope            boolean NOT NULL,
    position            text NOT NULL,
    edu_level           text NOT NULL,
    has_education       boolean NOT NULL,
    has_skp             boolean NOT NULL,
    technical_jp        integer NOT NULL,
    qualification       numeric(5,2) NOT NULL,
    competency          numeric(5,2) NOT NULL,
    performance         numeric(5,2) NOT NULL,
    discipline          numeric(5,2) NOT NULL,
    total               numeric(5,2) NOT NULL,
    category            text NOT NULL,
    ind_qualification   numeric(5,2),
    ind_leadership      numeric(5,2),
    ind_functional      numeric(5,2),
    ind_technical       numeric(5,2),
    ind_seminar         numeric(5,2),
    ind_competency_base numeric(5,2),
    ind_performance     numeric(5,2),
    ind_discipline      numeric(5,2),
    gap_leadership      numeric(5,2) NOT NULL,
    gap_functional      numeric(5,2) NOT NULL,
    gap_technical_20jp  numeric(5,2) NOT NULL,
    gap_seminar         numeric(5,2) NOT NULL,
    gap_skp_missing     numeric(5,2) NOT NULL,
    gap_skp_predikat    numeric(5,2) NOT NULL,
    gap_education       numeric(5,2) NOT NULL,
    gaps                text NOT NULL,      -- the gaps' details, one per line
    computed_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (instansi_id, nip, period)
);
CREATE INDEX employee_score_period ON ipasn.employee_score (period);

-- Aggregates, refreshed at the end of every listing and by recompute.
CREATE TABLE ipasn.opd_score (
    instansi_id        text NOT NULL,
    period             integer NOT NULL,
    opd_id             text NOT NULL,
    opd_name           text,
    employees          integer NOT NULL,
    measured           integer NOT NULL,
    qualification      numeric(5,2) NOT NULL,
    competency         numeric(5,2) NOT NULL,
    performance        numeric(5,2) NOT NULL,
    discipline         numeric(5,2) NOT NULL,
    total              numeric(5,2) NOT NULL,
    category           text NOT NULL,
    rank               integer NOT NULL,
    target             numeric(5,2) NOT NULL,
    coverage_education integer NOT NULL,
    coverage_skp       integer NOT NULL,
    refreshed_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (instansi_id, period, opd_id)
);

CREATE TABLE ipasn.instansi_score (
    instansi_id        text NOT NULL,
    period             integer NOT NULL,
    employees          integer NOT NULL,
    measured           integer NOT NULL,
    qualification      numeric(5,2) NOT NULL,
    competency         numeric(5,2) NOT NULL,
    performance        numeric(5,2) NOT NULL,
    discipline         numeric(5,2) NOT NULL,
    total              numeric(5,2) NOT NULL,
    category           text NOT NULL,
    target             numeric(5,2) NOT NULL,
    previous_total     numeric(5,2),
    coverage_education integer NOT NULL,
    coverage_skp       integer NOT NULL,
    refreshed_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (instansi_id, period)
);

-- Data-quality issues. One open row per (nip, code, field); a resolved row
-- stays as history, and the issue opens again as a new row if it returns.
CREATE TABLE ipasn.issue (
    instansi_id text NOT NULL,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    nip         text NOT NULL,
    code        text NOT NULL,
    field       text NOT NULL,
    severity    text NOT NULL,
    detail      text NOT NULL,
    first_seen  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    PRIMARY KEY (instansi_id, id)
);
CREATE UNIQUE INDEX issue_open ON ipasn.issue (instansi_id, nip, code, field)
    WHERE resolved_at IS NULL;

-- Records that broke the contract, kept whole for whoever fixes SIMPEG. One
-- row per distinct record text: seeing it again moves last_seen.
CREATE TABLE ipasn.quarantine (
    instansi_id text NOT NULL,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    received_at timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now(),
    times_seen  integer NOT NULL DEFAULT 1,
    source_url  text NOT NULL,
    nip         text,
    code        text NOT NULL,
    reason      text NOT NULL,
    raw         text NOT NULL,
    raw_hash    bigint NOT NULL,
    PRIMARY KEY (instansi_id, id)
);
CREATE UNIQUE INDEX quarantine_raw ON ipasn.quarantine (instansi_id, raw_hash);
CREATE INDEX quarantine_nip ON ipasn.quarantine (nip);

-- Where the sync of a source stands. cursor is set only while a listing
-- is under way; watermark is the next listing's updated_since.
CREATE TABLE ipasn.sync_state (
    instansi_id        text NOT NULL DEFAULT '',
    source             text NOT NULL,
    watermark          timestamptz,
    listing_id         bigint,               -- from listing_seq
    run_id             bigint,               -- the sync_run of the cycle under way
    listing_mode       text,                 -- full or incremental, while under way
    listing_since      timestamptz,          -- updated_since of the listing under way
    listing_server_time timestamptz,         -- server_time of its first page
    listing_fresh      boolean NOT NULL DEFAULT false, -- it began with no employee stored
    cursor             text,
    pages              integer NOT NULL DEFAULT 0,
    last_full_at       timestamptz,
    period             integer,
    rules_hash         bigint,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (instansi_id, source)
);

CREATE SEQUENCE ipasn.listing_seq;

-- NIPs seen in the listing under way: full listings mark the others
-- inactive at the end; a NIP seen twice is a duplicate_record.
CREATE TABLE ipasn.listing_seen (
    instansi_id text NOT NULL DEFAULT '',
    listing_id  bigint NOT NULL,
    nip         text NOT NULL,
    PRIMARY KEY (instansi_id, listing_id, nip)
);

-- One row per cycle: the public history dashboards read.
CREATE TABLE ipasn.sync_run (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    mode            text NOT NULL,          -- full, incremental, nip, recompute
    status          text NOT NULL,          -- running, ok, failed, interrupted
    pages           integer NOT NULL DEFAULT 0,
    records         integer NOT NULL DEFAULT 0,
    inserted        integer NOT NULL DEFAULT 0,
    updated         integer NOT NULL DEFAULT 0,
    unchanged       integer NOT NULL DEFAULT 0,
    deactivated     integer NOT NULL DEFAULT 0,
    quarantined     integer NOT NULL DEFAULT 0,
    issues_opened   integer NOT NULL DEFAULT 0,
    issues_resolved integer NOT NULL DEFAULT 0,
    error           text
);

-- The public views. Their names and columns are a stable interface.

CREATE VIEW ipasn.v_employee_score AS
SELECT e.nip, e.name, e.opd_id, e.opd_name, s.period,
       s.qualification, s.competency, s.performance, s.discipline, s.total, s.category
  FROM ipasn.employee_score s
  JOIN ipasn.employee e USING (instansi_id, nip)
 WHERE e.active AND s.in_scope;

CREATE VIEW ipasn.v_opd_score AS
SELECT period, opd_id, opd_name, employees, qualification, competency, performance,
       discipline, total, category, rank, target, total < target AS below_target
  FROM ipasn.opd_score;

CREATE VIEW ipasn.v_instansi_score AS
SELECT period, employees, total, category, target, previous_total
  FROM ipasn.instansi_score;

CREATE VIEW ipasn.v_open_issue AS
SELECT i.nip, e.opd_id, i.code, i.severity, i.field, i.detail, i.first_seen, i.last_seen
  FROM ipasn.issue i
  LEFT JOIN ipasn.employee e USING (instansi_id, nip)
 WHERE i.resolved_at IS NULL;
