/*
 * Describing atea's simulated-TEE evidence (docs/evidence/SIM.md): a COSE_Sign1 with the
 * identity and sim-root certificates in x5chain and text-keyed claims. atea_sim_evidence_parse
 * gives the verdict. The banner says plainly that this is no real TEE.
 */
#include "atea/sim.h"
#include "core/check.h"
#include "verify/describe_internal.h"

static atea_err walk_sim(atea__describe *d, const uint8_t *in, size_t len)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    atea_cbor_rd c;
    ATEA_TRY(
        atea__describe_banner(d, "atea simulated-TEE evidence (NOT a real TEE), %zu bytes", len));
    d->indent++;
    atea_cbor_rd_init(&c, in, len);
    /* Claims use text keys: no namer. nonce = binder, aik_hash = Hash(SPKI) (profile.md §3). */
    ATEA_TRY(atea__describe_cose_sign1(d, &c, NULL));
    if (atea_cbor_left(&c) > 0) {
        ATEA_TRY(atea__describe_line(d, 0, "%zu bytes follow the COSE_Sign1", atea_cbor_left(&c)));
    }
out:
    d->indent = indent;
    return err;
}

atea_err atea__describe_sim(atea__describe *d, const uint8_t *in, size_t len)
{
    atea_err err = ATEA_OK;
    atea_sim_evidence ev;
    atea_err walked = walk_sim(d, in, len);
    atea_err parsed = atea_sim_evidence_parse(in, len, &ev);
    ATEA_TRY(atea__describe_verdict(d, walked, parsed));
out:
    return err;
}
