/*
 * The real TDX quotes of ../shared/testdata/evidence/tdx and the values their README gives:
 * paths relative to the shared directory (atea_test_shared_path), REPORTDATA / MRTD as hex, and
 * a time at which every window of each quote's chain and collateral holds.
 */
#ifndef ATEA_TEST_TDX_SAMPLES_H
#define ATEA_TEST_TDX_SAMPLES_H

#define TDX_SAMPLES_DIR "testdata/evidence/tdx"
#define TDX_V4_QUOTE TDX_SAMPLES_DIR "/tdx_prod_quote_SPR_E4.dat"
#define TDX_V5_QUOTE TDX_SAMPLES_DIR "/quote_v5_sample.dat"
#define TDX_V4_REPORTDATA                                                                          \
    "6c62dec1b8191749a31dab490be532a35944dea47caef1f980863993d9899545eb7406a38d1eed313b987a467dac" \
    "ead6f0c87a6d766c66f6f29f8acb281f1113"
#define TDX_V4_MRTD                                                                                \
    "6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336923db86f22fc00b8dcd404bc10d5e119d721" \
    "5cbb"
#define TDX_V5_REPORTDATA                                                                          \
    "945eaacf5abc1f719d8666a942fda03d1edcb4490277396093dc5a5289ab9f1e094aed63060cd4a4933a4dd537ed" \
    "1255c9c79ecb3ed82cd1b486233e31c25c3a"
#define TDX_T_V4 1687219200LL /* 2023-06-20T00:00:00Z (README: every v4 window holds) */
#define TDX_T_V5 1770681600LL /* 2026-02-10T00:00:00Z (README) */

#endif
