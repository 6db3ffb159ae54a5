/*
 * CCEL replay for TDX (atea_tdx_eventlog_replay). The CC event log uses the TCG2 crypto-agile
 * format with a SHA-384 bank; its "PCR index" is the CC measurement-register index of UEFI 2.10
 * §38.4.1 (EFI_CC_MEASUREMENT_PROTOCOL), which TDX maps as MR 0 = MRTD, 1..4 = RTMR0..3 (Intel
 * TDX Virtual Firmware Design Guide §4.3.4). RTMR[i] starts at 48 zero bytes and each event
 * extends it: RTMR[i] = SHA-384(RTMR[i] || digest).
 *
 * Events the verifier can name become claims: the last EFI boot application in RTMR1 (the
 * kernel, on direct or systemd-boot flows), the tagged events of the kernel's built-in EFI loader
 * for the initrd (0x8F3B22ED) and the command line (0x8F3B22EC, "LOADED_IMAGE::LoadOptions"), and
 * GRUB's EV_IPL "kernel_cmdline: " text.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/check.h"
#include "core/rd.h"
#include "core/eventlog.h"
#include "verify/tdx_internal.h"
#include "verify/tdx_verify.h"

#define TAG_LINUX_INITRD 0x8F3B22EDu
#define TAG_LINUX_LOAD_OPTIONS 0x8F3B22ECu
#define GRUB_CMDLINE_PREFIX "kernel_cmdline: "
#define CMDLINE_MAX ATEA_APPRAISAL_MAX_CLAIM_STR /* the text is cut to what a claim holds */

typedef struct replay_state {
    uint8_t rtmr[4][48];
    const uint8_t *kernel;
    const uint8_t *initrd;
    const uint8_t *cmdline_digest;
    atea_slice cmdline;
} replay_state;

static atea_err extend(uint8_t mr[48], const uint8_t digest[48])
{
    atea_err err = ATEA_OK;
    uint8_t buf[96];
    unsigned int n = 0;
    memcpy(buf, mr, 48);
    memcpy(buf + 48, digest, 48);
    ATEA_ENSURE(EVP_Digest(buf, sizeof(buf), mr, &n, EVP_sha384(), NULL) == 1 && n == 48,
                ATEA_ERR_INTERNAL);
out:
    return err;
}

/* TCG_PCClientTaggedEvent (PFP §10.4.2.1): u32 id, u32 size, data[size]. */
static void note_tagged(replay_state *st, const atea_eventlog_event *ev)
{
    atea_rd rd;
    uint32_t id = 0;
    uint32_t size = 0;
    atea_rd_init(&rd, ev->data.data, ev->data.len);
    if (atea_rd_u32le(&rd, &id) != ATEA_OK || atea_rd_u32le(&rd, &size) != ATEA_OK ||
        size != atea_rd_left(&rd)) {
        return; /* not a tagged event we can name: it was still replayed */
    }
    if (id == TAG_LINUX_INITRD) {
        st->initrd = ev->digest;
    } else if (id == TAG_LINUX_LOAD_OPTIONS) {
        st->cmdline_digest = ev->digest;
    }
}

static void note_named(replay_state *st, const atea_eventlog_event *ev)
{
    size_t plen = strlen(GRUB_CMDLINE_PREFIX);
    if (ev->type == ATEA_EV_EFI_BOOT_SERVICES_APPLICATION && ev->index == 2) {
        st->kernel = ev->digest;
    } else if (ev->type == ATEA_EV_EVENT_TAG) {
        note_tagged(st, ev);
    } else if (ev->type == ATEA_EV_IPL && ev->data.len > plen &&
               memcmp(ev->data.data, GRUB_CMDLINE_PREFIX, plen) == 0) {
        st->cmdline.data = ev->data.data + plen;
        st->cmdline.len = ev->data.len - plen;
        st->cmdline_digest = ev->digest;
    }
}

static atea_err replay_event(void *user, const atea_eventlog_event *ev)
{
    atea_err err = ATEA_OK;
    replay_state *st = user;
    if (ev->type == ATEA_EV_NO_ACTION) {
        goto out; /* informational, never extended (PFP §10.4.1) */
    }
    ATEA_ENSURE_MSG(ev->index >= 1 && ev->index <= 4, ATEA_ERR_EVENTLOG_MALFORMED,
                    "event at offset %zu extends CC MR index %u (RTMRs are 1..4)", ev->offset,
                    ev->index);
    ATEA_TRY(extend(st->rtmr[ev->index - 1], ev->digest));
    note_named(st, ev);
out:
    return err;
}

static atea_err add_claims(atea_appraisal *out, const replay_state *st, size_t count)
{
    atea_err err = ATEA_OK;
    char text[CMDLINE_MAX + 1];
    ATEA_TRY(atea_appraisal_claim_int(out, TDX_SUBMOD, "eventlog_events", (int64_t)count));
    if (st->kernel != NULL) {
        ATEA_TRY(
            atea_appraisal_claim_bytes(out, TDX_SUBMOD, "eventlog_kernel_digest", st->kernel, 48));
    }
    if (st->initrd != NULL) {
        ATEA_TRY(
            atea_appraisal_claim_bytes(out, TDX_SUBMOD, "eventlog_initrd_digest", st->initrd, 48));
    }
    if (st->cmdline_digest != NULL) {
        ATEA_TRY(atea_appraisal_claim_bytes(out, TDX_SUBMOD, "eventlog_cmdline_digest",
                                            st->cmdline_digest, 48));
    }
    if (st->cmdline.data != NULL) {
        /* GRUB measures the text with its NUL; printable ASCII only, capped */
        size_t n = 0;
        for (size_t i = 0; i < st->cmdline.len && n < CMDLINE_MAX; i++) {
            uint8_t c = st->cmdline.data[i];
            if (c == 0) {
                break;
            }
            text[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
        }
        text[n] = '\0';
        ATEA_TRY(atea_appraisal_claim_str(out, TDX_SUBMOD, "eventlog_cmdline", text));
    }
out:
    return err;
}

static atea_err compare(const replay_state *st, const uint8_t rtmr[4][48])
{
    atea_err err = ATEA_OK;
    for (size_t i = 0; i < 4; i++) {
        ATEA_ENSURE_MSG(memcmp(st->rtmr[i], rtmr[i], 48) == 0, ATEA_ERR_EVENTLOG_MISMATCH,
                        "RTMR%zu replayed from the event log is %02x%02x%02x%02x.., the quote has "
                        "%02x%02x%02x%02x..",
                        i, st->rtmr[i][0], st->rtmr[i][1], st->rtmr[i][2], st->rtmr[i][3],
                        rtmr[i][0], rtmr[i][1], rtmr[i][2], rtmr[i][3]);
    }
out:
    return err;
}

static atea_err replay(const uint8_t *log, size_t len, const uint8_t rtmr[4][48],
                       uint8_t replayed[4][48], atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    replay_state st;
    size_t count = 0;
    memset(&st, 0, sizeof(st));
    ATEA_TRY(atea_eventlog_parse(log, len, ATEA_TPM_ALG_SHA384, replay_event, &st, &count));
    if (replayed != NULL) {
        memcpy(replayed, st.rtmr, sizeof(st.rtmr));
    }
    if (out != NULL) {
        ATEA_TRY(add_claims(out, &st, count));
    }
    if (rtmr != NULL) {
        ATEA_TRY(compare(&st, rtmr));
        if (out != NULL) {
            ATEA_TRY(atea_appraisal_add_reason(out, TDX_SUBMOD, ATEA_EAR_AFFIRMING, ATEA_OK,
                                               "the event log (%zu events) replays to RTMR0..3",
                                               count));
        }
    }
out:
    return err;
}

atea_err atea_tdx_eventlog_replay(const uint8_t *log, size_t len, const uint8_t rtmr[4][48],
                                  uint8_t replayed[4][48], atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(log != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(replay(log, len, rtmr, replayed, out));
out:
    if (err != ATEA_OK && out != NULL && log != NULL) {
        atea__tdx_record_failure(out, err, "event log: ", NULL);
    }
    return err;
}
