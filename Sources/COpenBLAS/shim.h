// OpenBLAS's CBLAS interface (Debian: libopenblas-dev installs it under the multiarch include dir).
#if __has_include(<cblas-openblas.h>)
#include <cblas-openblas.h>
#else
#include <cblas.h>
#endif
#include <stdlib.h>
#include <string.h>

// OpenBLAS built with DYNAMIC_ARCH picks its kernels once, when the library loads, from the CPU's model
// number. A release older than the CPU does not know the model and falls back to the generic SSE3
// "Prescott" kernels: Debian 12's 0.3.21 on model 207 (Emerald Rapids) runs sgemm 4-6x slower than
// its own SkylakeX kernels would. This re-selects by instruction set instead, through the library's
// documented OPENBLAS_CORETYPE override, when (and only when) the library fell back to Prescott, the
// user has not chosen a core, and the library exports its dynamic-selection entry points (weak, so a
// build without DYNAMIC_ARCH links and is left alone). Must run before the first BLAS call.
// Returns the core selected, or NULL when nothing was changed.
extern void gotoblas_dynamic_init(void) __attribute__((weak));
extern void gotoblas_dynamic_quit(void) __attribute__((weak));

static inline const char *vane_openblas_reselect_core(void) {
#if defined(__x86_64__)
    if (!gotoblas_dynamic_init || !gotoblas_dynamic_quit) return NULL;
    if (getenv("OPENBLAS_CORETYPE") != NULL) return NULL;
    const char *current = openblas_get_corename();
    if (current == NULL || strcmp(current, "Prescott") != 0) return NULL;
    __builtin_cpu_init();
    const char *core = NULL;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512cd")) {
        core = "SkylakeX";
    } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        core = "Haswell";
    }
    if (core == NULL) return NULL;
    setenv("OPENBLAS_CORETYPE", core, 0);
    gotoblas_dynamic_quit();
    gotoblas_dynamic_init();
    unsetenv("OPENBLAS_CORETYPE");
    return openblas_get_corename();
#else
    return NULL;
#endif
}

// LAPACK's Cholesky factorisation and inverse of a symmetric positive definite matrix (OpenBLAS
// exports the Fortran symbols; Debian ships no LAPACKE header with it). Column-major, in place.
extern void spotrf_(const char *uplo, const int *n, float *a, const int *lda, int *info);
extern void spotri_(const char *uplo, const int *n, float *a, const int *lda, int *info);
