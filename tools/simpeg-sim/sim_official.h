/* sim_official.h: BKN's official IP ASN as the simulator makes it, with
 * ipasnd's own decoder and scorer under another set of rules (the
 * --official-rules file, shaped as index.rules): the values BKN would give
 * if its tables differed from ipasnd's defaults in the settings that file
 * names. Kept apart from sim.h, whose struct employee is not ipasnd's. */
#ifndef SIM_OFFICIAL_H
#define SIM_OFFICIAL_H

#include <stddef.h>

struct sim_official;

/* The rules of path (index.rules settings) for measurement year; NULL
 * with why set when the file is not valid. Free with sim_official_free. */
struct sim_official *sim_official_load(const char *path, int year, char *why, size_t size);
void sim_official_free(struct sim_official *o); /* NULL is a no-op */

/* The record (one listing record as JSON) scored: tenths of kualifikasi,
 * kompetensi, kinerja, disiplin and the total. 0, or -1 when the record
 * does not decode or is out of scope. */
int sim_official_score(const struct sim_official *o, const char *json, size_t len, int tenths[5]);

#endif
