// glibc's malloc tuning interface (mallopt and its parameter names), for AllocatorTuning.
#include <stdlib.h>
#if defined(__GLIBC__) && __has_include(<malloc.h>)
#include <malloc.h>
#endif
