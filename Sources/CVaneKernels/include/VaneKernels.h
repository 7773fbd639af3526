// Small numeric kernels Swift cannot express at full speed without per-CPU compiler flags.
//
// Each kernel has a portable C body and, on x86-64, an AVX2 body compiled for that instruction set
// alone (a function attribute, not a build flag) and chosen at run time when the CPU has it, so the
// library stays usable as a dependency on any x86-64 (and any other) machine.
#ifndef VANE_KERNELS_H
#define VANE_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Rows of one int8 panel (the layout below).
#define VANE_PANEL_ROWS 8

/// Approximate products of int16 query rows with int8 matrix rows stored in panels.
///
/// Layout of `panels`: panel p holds matrix rows 8p ..< 8p + 8; within it, column pair j
/// (columns 2j, 2j + 1) is 16 consecutive bytes, row r's two codes at bytes 2r and 2r + 1; panels
/// follow each other, each `pair_count` x 16 bytes. `queries` holds `query_count` rows of
/// 2 x `pair_count` int16 codes. For every query q and matrix row v in panels
/// [`first_panel`, `end_panel`) with v < `row_count`, writes
///   out[q * out_stride + v] = (float)(sum_c query[q][c] * code[v][c]) * row_scales[v] * query_scales[q]
/// (integer dot product, exact in int32 while 2 x pair_count x 127 x max|query code| < 2^31).
/// O(query_count x panels x pair_count).
void vane_int8_panel_products(const int8_t *panels, const float *row_scales, int64_t row_count, int64_t pair_count,
                              int64_t first_panel, int64_t end_panel,
                              const int16_t *queries, const float *query_scales, int64_t query_count,
                              float *out, int64_t out_stride);

/// The portable body of `vane_int8_panel_products` whatever the CPU (tests compare the two bodies).
void vane_int8_panel_products_portable(const int8_t *panels, const float *row_scales, int64_t row_count, int64_t pair_count,
                                       int64_t first_panel, int64_t end_panel,
                                       const int16_t *queries, const float *query_scales, int64_t query_count,
                                       float *out, int64_t out_stride);

/// 1 when `vane_int8_panel_products` runs its AVX2 body on this CPU, 0 for the portable one.
int vane_int8_panel_products_uses_avx2(void);

#ifdef __cplusplus
}
#endif

#endif
