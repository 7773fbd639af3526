// OpenBLAS's CBLAS interface (Debian: libopenblas-dev installs it under the multiarch include dir).
#if __has_include(<cblas-openblas.h>)
#include <cblas-openblas.h>
#else
#include <cblas.h>
#endif
