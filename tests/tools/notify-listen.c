/* Plays the service manager's side of sd_notify for the tests: binds a
 * unix datagram socket at PATH and prints every message it receives as one
 * line, "<milliseconds since start> <message>", with the message's
 * newlines shown as " | ". Runs until killed.
 * Usage: notify-listen PATH */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char buf[4096];
    long long t0 = now_ms();
    int fd;

    if (argc != 2 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "usage: notify-listen PATH\n");
        return 64;
    }
    strcpy(sa.sun_path, argv[1]);
    unlink(argv[1]);
    fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("notify-listen");
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);

        if (n < 0)
            continue;
        buf[n] = '\0';
        while (n > 0 && buf[n - 1] == '\n')
            buf[--n] = '\0';
        printf("%lld ", now_ms() - t0);
        for (char *p = buf; *p; p++) {
            if (*p == '\n')
                fputs(" | ", stdout);
            else
                putchar(*p);
        }
        putchar('\n');
    }
}
