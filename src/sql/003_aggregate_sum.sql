-- ipasnd schema, version 3: running sums behind the OPD and instansi
-- aggregates of the configured period. A full listing or a recompute
-- rebuilds them from the scores; an incremental page adds what its
-- employees' changes add and takes away what they take away, so a small
-- sync refreshes the aggregates without reading every score again.
-- Sums are in tenths of a point; opd_key is '' for employees without an OPD.
CREATE TABLE ipasn.aggregate_sum (
    instansi_id text NOT NULL,
    period      integer NOT NULL,
    opd_key     text NOT NULL,
    opd_name    text,
    employees   bigint NOT NULL,
    measured    bigint NOT NULL,
    cov_edu     bigint NOT NULL,
    cov_skp     bigint NOT NULL,
    s_q bigint NOT NULL, s_c bigint NOT NULL, s_p bigint NOT NULL, s_d bigint NOT NULL,
    s_t bigint NOT NULL,
    m_q bigint NOT NULL, m_c bigint NOT NULL, m_p bigint NOT NULL, m_d bigint NOT NULL,
    m_t bigint NOT NULL,
    PRIMARY KEY (instansi_id, period, opd_key)
);
