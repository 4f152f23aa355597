-- ipasnd schema, version 2: the views behind `ipasnd report`.
--
-- The report reads these views, so a BI tool reading them sees the numbers
-- the report prints. Both carry instansi_id, for databases that hold several
-- instansi. Gains are the points closing a gap would add; values are
-- numeric, rounded half up to two decimals where they are means.

-- One row per active in-scope employee and period (the rows
-- v_employee_score lists), with the total, every gap and the gaps' details
-- (one per line). The coverage flags say whether each dimension had data:
-- has_education (kualifikasi), has_skp (kinerja), and
-- has_competency_data (kompetensi): a course or leadership training dated
-- on or before the score's as-of date (its end date, else its start date),
-- or with only a year field no later than the period.
CREATE VIEW ipasn.v_employee_gap AS
SELECT e.nip, e.name, e.opd_id, e.opd_name, s.period, s.total, s.category,
       s.gap_leadership, s.gap_functional, s.gap_technical_20jp, s.gap_seminar,
       s.gap_skp_missing, s.gap_skp_predikat, s.gap_education,
       s.gaps,
       s.has_education, s.has_skp,
       (EXISTS (SELECT 1 FROM ipasn.course c
                 WHERE c.instansi_id = s.instansi_id AND c.nip = s.nip
                   AND (coalesce(c.end_date, c.start_date) <= s.as_of
                        OR (c.end_date IS NULL AND c.start_date IS NULL
                            AND c.year BETWEEN 1 AND s.period)))
        OR EXISTS (SELECT 1 FROM ipasn.leadership_training t
                    WHERE t.instansi_id = s.instansi_id AND t.nip = s.nip
                      AND (coalesce(t.end_date, t.start_date) <= s.as_of
                           OR (t.end_date IS NULL AND t.start_date IS NULL
                               AND t.year BETWEEN 1 AND s.period)))) AS has_competency_data,
       s.instansi_id
  FROM ipasn.employee_score s
  JOIN ipasn.employee e USING (instansi_id, nip)
 WHERE e.active AND s.in_scope;

-- Per OPD and period: its employees, its total (the mean of their totals),
-- and for every gap kind the gain if all of them closed it (the sum of that
-- gap over the OPD's employees / its employees) and the total it would
-- then reach (total + gain). Employees without an OPD are left out, as in
-- the OPD aggregates.
CREATE VIEW ipasn.v_opd_gain AS
WITH g AS (
    SELECT instansi_id, period, opd_id, max(opd_name) AS opd_name, count(*) AS employees,
           sum(total) AS total,
           sum(gap_leadership) AS leadership, sum(gap_functional) AS functional,
           sum(gap_technical_20jp) AS technical_20jp, sum(gap_seminar) AS seminar,
           sum(gap_skp_missing) AS skp_missing, sum(gap_skp_predikat) AS skp_predikat,
           sum(gap_education) AS education
      FROM ipasn.v_employee_gap
     WHERE opd_id IS NOT NULL
     GROUP BY instansi_id, period, opd_id
), m AS (
    SELECT instansi_id, period, opd_id, opd_name, employees,
           round(total / employees, 2) AS total,
           round(leadership / employees, 2) AS gain_leadership,
           round(functional / employees, 2) AS gain_functional,
           round(technical_20jp / employees, 2) AS gain_technical_20jp,
           round(seminar / employees, 2) AS gain_seminar,
           round(skp_missing / employees, 2) AS gain_skp_missing,
           round(skp_predikat / employees, 2) AS gain_skp_predikat,
           round(education / employees, 2) AS gain_education
      FROM g
)
SELECT period, opd_id, opd_name, employees, total,
       gain_leadership, total + gain_leadership AS total_if_leadership,
       gain_functional, total + gain_functional AS total_if_functional,
       gain_technical_20jp, total + gain_technical_20jp AS total_if_technical_20jp,
       gain_seminar, total + gain_seminar AS total_if_seminar,
       gain_skp_missing, total + gain_skp_missing AS total_if_skp_missing,
       gain_skp_predikat, total + gain_skp_predikat AS total_if_skp_predikat,
       gain_education, total + gain_education AS total_if_education,
       instansi_id
  FROM m;
