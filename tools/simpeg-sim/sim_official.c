/* sim_official.c: see sim_official.h. Everything here is ipasnd's: the
 * configuration loader validates the rules file as ipasnd would read it in
 * index.rules, and the record is decoded and scored as a sync would. */
#include "sim_official.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "score.h"
#include "simpeg.h"

struct sim_official {
    struct config_index idx;
    struct config *cfg; /* owns what idx points to */
};

struct sim_official *sim_official_load(const char *path, int year, char *why, size_t size)
{
    char tmp[] = "/tmp/simpeg-sim-rules.XXXXXX", abs[PATH_MAX];
    struct strlist errors = {0};
    struct sim_official *o = NULL;
    struct config *cfg;
    FILE *f;
    int fd;

    if (!realpath(path, abs)) {
        snprintf(why, size, "%s: cannot read it", path);
        return NULL;
    }
    if ((fd = mkstemp(tmp)) < 0 || !(f = fdopen(fd, "w"))) {
        snprintf(why, size, "cannot write a temporary file");
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    /* The file is included where ipasnd reads index.rules, so its keys,
     * types and ranges are checked as ipasnd checks them. */
    fprintf(f,
            "source: { url = \"http://127.0.0.1:9/\"; };\n"
            "index: { period = %d; rules: {\n@include \"%s\"\n}; };\n",
            year, abs);
    fclose(f);
    cfg = config_load(tmp, &errors);
    unlink(tmp);
    if (!cfg) {
        snprintf(why, size, "%s", errors.n ? errors.v[0] : "not a valid rules file");
        strlist_free(&errors);
        return NULL;
    }
    o = calloc(1, sizeof(*o));
    if (!o) {
        config_free(cfg);
        snprintf(why, size, "out of memory");
        return NULL;
    }
    o->cfg = cfg;
    config_resolve_index(&cfg->index, date_today_utc(), &o->idx);
    return o;
}

void sim_official_free(struct sim_official *o)
{
    if (!o)
        return;
    config_free(o->cfg);
    free(o);
}

int sim_official_score(const struct sim_official *o, const char *json, size_t len, int tenths[5])
{
    struct simpeg_limits lim = simpeg_limits_for(1);
    const char *name = "record";
    struct error err = {{0}};
    struct page *pg;
    struct score s;
    int rc = -1;

    lim.keep_raw = false;
    pg = simpeg_decode_records(&json, &len, &name, 1, &lim, &err);
    if (pg && pg->n_employees == 1 && score_employee(&pg->employees[0], &o->idx, &s) == 0 &&
        s.in_scope) {
        tenths[0] = s.qualification;
        tenths[1] = s.competency;
        tenths[2] = s.performance;
        tenths[3] = s.discipline;
        tenths[4] = s.total;
        rc = 0;
    }
    page_free(pg);
    return rc;
}
