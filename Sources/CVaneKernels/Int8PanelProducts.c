#include "VaneKernels.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// Portable body: the same sums in the same integer arithmetic, so both bodies give identical results.
static void products_portable(const int8_t *panels, const float *row_scales, int64_t row_count, int64_t pair_count,
                              int64_t first_panel, int64_t end_panel,
                              const int16_t *queries, const float *query_scales, int64_t query_count,
                              float *out, int64_t out_stride) {
    for (int64_t p = first_panel; p < end_panel; p++) {
        const int8_t *panel = panels + p * pair_count * 16;
        for (int64_t q = 0; q < query_count; q++) {
            const int16_t *query = queries + q * 2 * pair_count;
            int32_t sums[VANE_PANEL_ROWS] = {0};
            for (int64_t j = 0; j < pair_count; j++) {
                const int8_t *codes = panel + j * 16;
                int32_t q0 = query[2 * j], q1 = query[2 * j + 1];
                for (int r = 0; r < VANE_PANEL_ROWS; r++) sums[r] += q0 * codes[2 * r] + q1 * codes[2 * r + 1];
            }
            for (int r = 0; r < VANE_PANEL_ROWS; r++) {
                int64_t v = p * VANE_PANEL_ROWS + r;
                if (v < row_count) out[q * out_stride + v] = ((float)sums[r] * row_scales[v]) * query_scales[q];
            }
        }
    }
}

#if defined(__x86_64__)
// AVX2 body: one vpmaddwd multiplies a column pair of all 8 rows of a panel by a query's pair
// (broadcast) and adds the two products, so 8 row sums build up in one register with no horizontal
// reduction; a panel (pair_count x 16 bytes) is read from memory once and reused from L1 by every
// query, four at a time.
__attribute__((target("avx2")))
static void store_panel(float *destination, __m256i sums, __m256 row_scales, float query_scale, int64_t valid) {
    __m256 values = _mm256_mul_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(sums), row_scales), _mm256_set1_ps(query_scale));
    if (valid >= VANE_PANEL_ROWS) {
        _mm256_storeu_ps(destination, values);
    } else {
        float buffer[VANE_PANEL_ROWS];
        _mm256_storeu_ps(buffer, values);
        memcpy(destination, buffer, (size_t)valid * sizeof(float));
    }
}

__attribute__((target("avx2")))
static void products_avx2(const int8_t *panels, const float *row_scales, int64_t row_count, int64_t pair_count,
                          int64_t first_panel, int64_t end_panel,
                          const int16_t *queries, const float *query_scales, int64_t query_count,
                          float *out, int64_t out_stride) {
    const int32_t *pairs = (const int32_t *)queries;  // a query's column pair (two int16) as one int32
    for (int64_t p = first_panel; p < end_panel; p++) {
        const int8_t *panel = panels + p * pair_count * 16;
        int64_t valid = row_count - p * VANE_PANEL_ROWS;
        // Rows past row_count are zero codes with scale 0 (the padding of the last panel).
        __m256 scales;
        if (valid >= VANE_PANEL_ROWS) {
            scales = _mm256_loadu_ps(row_scales + p * VANE_PANEL_ROWS);
        } else {
            float buffer[VANE_PANEL_ROWS] = {0};
            memcpy(buffer, row_scales + p * VANE_PANEL_ROWS, (size_t)valid * sizeof(float));
            scales = _mm256_loadu_ps(buffer);
        }
        float *column = out + p * VANE_PANEL_ROWS;
        int64_t q = 0;
        for (; q + 4 <= query_count; q += 4) {
            const int32_t *b0 = pairs + q * pair_count, *b1 = b0 + pair_count, *b2 = b1 + pair_count, *b3 = b2 + pair_count;
            __m256i s0 = _mm256_setzero_si256(), s1 = s0, s2 = s0, s3 = s0;
            for (int64_t j = 0; j < pair_count; j++) {
                __m256i codes = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(panel + j * 16)));
                s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(codes, _mm256_set1_epi32(b0[j])));
                s1 = _mm256_add_epi32(s1, _mm256_madd_epi16(codes, _mm256_set1_epi32(b1[j])));
                s2 = _mm256_add_epi32(s2, _mm256_madd_epi16(codes, _mm256_set1_epi32(b2[j])));
                s3 = _mm256_add_epi32(s3, _mm256_madd_epi16(codes, _mm256_set1_epi32(b3[j])));
            }
            store_panel(column + q * out_stride, s0, scales, query_scales[q], valid);
            store_panel(column + (q + 1) * out_stride, s1, scales, query_scales[q + 1], valid);
            store_panel(column + (q + 2) * out_stride, s2, scales, query_scales[q + 2], valid);
            store_panel(column + (q + 3) * out_stride, s3, scales, query_scales[q + 3], valid);
        }
        for (; q < query_count; q++) {
            const int32_t *b = pairs + q * pair_count;
            __m256i s0 = _mm256_setzero_si256(), s1 = s0;
            int64_t j = 0;
            for (; j + 2 <= pair_count; j += 2) {
                s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(panel + j * 16))),
                                                             _mm256_set1_epi32(b[j])));
                s1 = _mm256_add_epi32(s1, _mm256_madd_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(panel + j * 16 + 16))),
                                                             _mm256_set1_epi32(b[j + 1])));
            }
            if (j < pair_count) {
                s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(panel + j * 16))),
                                                             _mm256_set1_epi32(b[j])));
            }
            store_panel(column + q * out_stride, _mm256_add_epi32(s0, s1), scales, query_scales[q], valid);
        }
    }
}
#endif

void vane_int8_panel_products_portable(const int8_t *panels, const float *row_scales, int64_t row_count, int64_t pair_count,
                                       int64_t first_panel, int64_t end_panel,
                                       const int16_t *queries, const float *query_scales, int64_t query_count,
                                       float *out, int64_t out_stride) {
    products_portable(panels, row_scales, row_count, pair_count, first_panel, end_panel, queries, query_scales, query_count, out, out_stride);
}

int vane_int8_panel_products_uses_avx2(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? 1 : 0;
#else
    return 0;
#endif
}

void vane_int8_panel_products(const int8_t *panels, const float *row_scales, int64_t row_count, int64_t pair_count,
                              int64_t first_panel, int64_t end_panel,
                              const int16_t *queries, const float *query_scales, int64_t query_count,
                              float *out, int64_t out_stride) {
#if defined(__x86_64__)
    if (vane_int8_panel_products_uses_avx2()) {
        products_avx2(panels, row_scales, row_count, pair_count, first_panel, end_panel, queries, query_scales, query_count, out, out_stride);
        return;
    }
#endif
    products_portable(panels, row_scales, row_count, pair_count, first_panel, end_panel, queries, query_scales, query_count, out, out_stride);
}
