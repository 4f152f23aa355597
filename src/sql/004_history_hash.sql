-- ipasnd schema, version 4: per employee, a hash of the stored rows of each
-- of its histories (education, leadership_training, course, skp, skp22,
-- sanction, official_ipasn, in that order). A changed record replaces only
-- the histories whose rows differ: a new course rewrites the courses, not
-- the SKPs. NULL (rows written before version 4) replaces them all.
ALTER TABLE ipasn.employee ADD COLUMN history_hash bigint[];
