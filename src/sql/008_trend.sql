-- ipasnd schema, version 8: the daily history of the index.
--
-- At the end of every successful cycle the instansi's value and every
-- OPD's are kept as that day's snapshot (the day in the daemon's own time
-- zone, the BKD's calendar): one row per day, period and OPD, the last
-- cycle of the day replacing the day's rows. opd_key is '' for the
-- instansi. The trend toward the cut-off, and the report's change over 7
-- and 30 days, are read from here.
CREATE TABLE ipasn.score_day (
    instansi_id        text NOT NULL,
    day                date NOT NULL,
    period             integer NOT NULL,
    opd_key            text NOT NULL,
    opd_name           text,
    employees          integer NOT NULL,
    qualification      numeric(5,2) NOT NULL,
    competency         numeric(5,2) NOT NULL,
    performance        numeric(5,2) NOT NULL,
    discipline         numeric(5,2) NOT NULL,
    total              numeric(5,2) NOT NULL,
    coverage_education integer NOT NULL,
    coverage_skp       integer NOT NULL,
    open_issues        integer NOT NULL,
    kept_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (instansi_id, period, opd_key, day)
);

-- One row per day, period and OPD; opd_id is NULL for the instansi.
CREATE VIEW ipasn.v_score_trend AS
SELECT day, period, nullif(opd_key, '') AS opd_id, opd_name, employees,
       qualification, competency, performance, discipline, total
  FROM ipasn.score_day;
