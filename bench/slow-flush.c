/*
 * slow-flush: an LD_PRELOAD library for benchmarking tote as if its disk were slow.
 *
 * The disks of the machines tote is measured on sometimes slow to about 250
 * flushes per second for minutes. To measure that state on demand, this sleeps
 * SLOW_SYNC_US microseconds before every fsync() and fdatasync() of the process
 * (and of the processes it starts). With SLOW_SYNC_LOG_US set, it also prints to
 * stderr every flush that itself took longer than that, with the thread's name,
 * which is how flushes waiting on each other show up.
 *
 *   gcc -shared -fPIC -O2 -o slow-flush.so bench/slow-flush.c -ldl -lpthread
 *   LD_PRELOAD=$PWD/slow-flush.so SLOW_SYNC_US=3600 tote bench reserve
 *   LD_PRELOAD=$PWD/slow-flush.so SLOW_SYNC_LOG_US=1500 tote bench http 2>flushes.log
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long env_us(const char *name) {
    const char *v = getenv(name);
    return v ? atol(v) : 0;
}

static long now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

static int flush(const char *what, int (*real)(int), int fd) {
    long delay = env_us("SLOW_SYNC_US"), log_over = env_us("SLOW_SYNC_LOG_US");
    if (delay > 0) usleep(delay);
    long started = now_us();
    int rc = real(fd);
    long took = now_us() - started;
    if (log_over > 0 && took > log_over) {
        char name[32] = "";
        pthread_getname_np(pthread_self(), name, sizeof name);
        fprintf(stderr, "slow-flush: %s by %s at %ld us took %ld us\n", what, name, started, took);
    }
    return rc;
}

int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    return flush("fsync", real, fd);
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    return flush("fdatasync", real, fd);
}
