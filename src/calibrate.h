/* calibrate.h: which index.rules settings would make ipasnd compute what
 * BKN computes. Employees are counted into cells by what ipasnd knows of
 * them (education level, SKP predikat or score band, worst sanction,
 * position and competency indicators) against the points BKN gave; a
 * cell where one value dominates names the setting that gives it. The
 * tables are pure (no I/O); calibrate_run reads the database and prints. */
#ifndef IPASND_CALIBRATE_H
#define IPASND_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "score.h"

#define CALIBRATE_MIN_EMPLOYEES 30 /* a cell smaller than this suggests nothing */
#define CALIBRATE_MIN_SHARE     0.9

struct store;

/* BKN's points of one employee, hundredths, by enum dimension. */
struct official_points {
    int dim[DIM_COUNT];
};

struct calib_value {
    int hundredths;
    size_t count;
};

struct calib_cell {
    enum dimension dim;
    char label[64];  /* "S-1/D-IV", "pelaksana: technical" */
    const char *key; /* "qualification.s1_d4" under index.rules, NULL: no one setting */
    int current;     /* ipasnd's points for the cell now, hundredths; -1 mixed */
    size_t employees;
    struct calib_value *values;
    size_t n_values;
};

struct calibration {
    struct calib_cell *cells;
    size_t n_cells;
};

/* Counts one employee, scored under the current rules, into its cell of
 * every dimension. */
void calibrate_add(struct calibration *c, const struct score *s, const struct official_points *o);

/* The cell's most frequent value (the lowest on a tie) and its share. */
int calibrate_mode(const struct calib_cell *cell, double *share);

struct calib_suggestion {
    const char *key; /* under index.rules */
    int tenths;      /* the value, as the setting holds it */
    double share;
    size_t employees;
    const struct calib_cell *cell;
};

/* The settings the cells call for that differ from r: one per key, when
 * every qualifying cell of that key agrees. Caller frees *out. */
size_t calibrate_suggest(const struct calibration *c, const struct rules *r,
                         struct calib_suggestion **out);

/* r with the suggestions applied. */
void calibrate_apply(const struct calib_suggestion *s, size_t n, struct rules *r);

/* Whether cell dominated (>= CALIBRATE_MIN_SHARE of at least
 * CALIBRATE_MIN_EMPLOYEES); cells too small count as neither. */
bool calibrate_cell_counts(const struct calib_cell *cell);
bool calibrate_cell_dominated(const struct calib_cell *cell);

void calibration_free(struct calibration *c); /* NULL is a no-op */

/* The whole command: both passes over the stored employees of period (0:
 * the configured one), printed as text or JSON. 0 or a store code. */
int calibrate_run(struct store *st, const struct config *cfg, int period, bool json, FILE *out,
                  struct error *err);

#endif
