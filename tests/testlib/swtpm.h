/*
 * A real software TPM (swtpm) for tests: a fresh state directory made by swtpm_setup, then
 * `swtpm socket --tpm2` on two consecutive loopback ports (TPM command port P, control port
 * P+1, as the tpm2-tss "swtpm" TCTI expects), already started (startup-clear). Several can run
 * at once. Every wait is bounded; stop kills the process and removes the state directory.
 */
#ifndef ATEA_TEST_SWTPM_H
#define ATEA_TEST_SWTPM_H

#include <stddef.h>
#include <sys/types.h>

typedef struct atea_test_swtpm {
    pid_t pid;     /* 0 when not running */
    int port;      /* TPM command port; control port is port + 1 */
    char dir[256]; /* state directory (removed by stop) */
    char tcti[96]; /* "swtpm:host=127.0.0.1,port=<port>" */
} atea_test_swtpm;

/* Start one. Returns 0, or -1 with a sentence in why (e.g. "swtpm not found in PATH: run
 * scripts/setup.sh"). On failure nothing is left running. */
int atea_test_swtpm_start(atea_test_swtpm *t, char *why, size_t why_len);

/* Start one or fail the current cmocka test with the reason (never skips). */
void atea_test_swtpm_start_or_fail(atea_test_swtpm *t);

/* Stop it (SIGTERM, then SIGKILL after a timeout), reap it, remove its state. Idempotent. */
void atea_test_swtpm_stop(atea_test_swtpm *t);

#endif
