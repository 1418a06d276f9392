// Clocks as Linux keeps them: CLOCK_REALTIME is Unix time from the real-time clock (QEMU starts
// it at the host's UTC time unless told otherwise, so it is well past 2020), CLOCK_MONOTONIC
// counts from boot and advances across a sleep, and the two advance together.
#define _GNU_SOURCE
#include <time.h>
#include "check.h"

static long long micros(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0) return -1;
    return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int main(void)
{
    long long real0 = micros(CLOCK_REALTIME), mono0 = micros(CLOCK_MONOTONIC);
    CHECK(real0 > 1577836800LL * 1000000, "CLOCK_REALTIME is after 2020-01-01 (Unix time, not uptime)");
    CHECK(mono0 >= 0 && mono0 < 3600LL * 1000000, "CLOCK_MONOTONIC counts from boot");
    CHECK(time(NULL) == real0 / 1000000 || time(NULL) == real0 / 1000000 + 1, "time() agrees with CLOCK_REALTIME");

    struct timespec nap = { 0, 20 * 1000 * 1000 };
    CHECK(nanosleep(&nap, NULL) == 0, "nanosleep(20 ms)");
    long long real1 = micros(CLOCK_REALTIME), mono1 = micros(CLOCK_MONOTONIC);
    CHECK(mono1 - mono0 >= 20000, "CLOCK_MONOTONIC advanced by the sleep");
    long long drift = (real1 - real0) - (mono1 - mono0);
    CHECK(drift > -1000 && drift < 1000, "CLOCK_REALTIME and CLOCK_MONOTONIC advance together");
    return check_done("clock");
}
