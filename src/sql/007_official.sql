-- ipasnd schema, version 7: BKN's official values from every source, per
-- period, beside ipasnd's own.
--
-- An official value now says where it came from: the listing's ipAsn
-- (written with the employee's record, replaced when the record changes),
-- WS SIASN's nilaiipasn, or BKN's IP ASN export loaded by
-- `ipasnd import-official`. Each source keeps its own row per employee and
-- period, so a sync never overwrites an imported file and an import never
-- overwrites what the listing says. recorded_at is when ipasnd stored the
-- value; bkn_updated is the date BKN gives it (the export's UPDATED).

ALTER TABLE ipasn.official_ipasn
    ADD COLUMN source text NOT NULL DEFAULT 'listing'
        CHECK (source IN ('listing', 'siasn', 'import')),
    ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN bkn_updated date;
ALTER TABLE ipasn.official_ipasn DROP CONSTRAINT official_ipasn_pkey;
ALTER TABLE ipasn.official_ipasn ADD PRIMARY KEY (instansi_id, nip, year, source);
CREATE INDEX official_ipasn_period ON ipasn.official_ipasn (instansi_id, year);

-- One row per employee ipasnd scores (active, in scope), period, source
-- and dimension, plus one for the total: BKN's value, ipasnd's, and
-- official minus ipasnd. Dimensions carry the regulation's names; the
-- instansi comes last, as in v_employee_gap, for databases of several.
CREATE VIEW ipasn.v_official_diff AS
SELECT o.nip, e.opd_id, o.year AS period, o.source, d.dimension,
       d.ipasnd, d.official, d.official - d.ipasnd AS difference, o.instansi_id
  FROM ipasn.official_ipasn o
  JOIN ipasn.employee e ON e.instansi_id = o.instansi_id AND e.nip = o.nip
  JOIN ipasn.employee_score s
    ON s.instansi_id = o.instansi_id AND s.nip = o.nip AND s.period = o.year
 CROSS JOIN LATERAL (VALUES
       ('kualifikasi', s.qualification, o.qualification),
       ('kompetensi', s.competency, o.competency),
       ('kinerja', s.performance, o.performance),
       ('disiplin', s.discipline, o.discipline),
       ('total', s.total, o.total)) d (dimension, ipasnd, official)
 WHERE e.active AND s.in_scope;
