/* The daemon, `ipasnd run`: a sync cycle every sync.interval (with
 * jitter), signals as flags acted on by the loop (SIGTERM/SIGINT stop,
 * SIGHUP reloads, SIGUSR1 syncs now), and the service manager told what is
 * going on (READY, STATUS, RELOADING, STOPPING, WATCHDOG). */
#ifndef IPASND_DAEMON_H
#define IPASND_DAEMON_H

#include "config.h"

/* Runs until SIGTERM or SIGINT; takes ownership of cfg (loaded from
 * config_path, which a reload reads again). Returns the exit code. */
int daemon_run(const char *config_path, struct config *cfg);

#endif
