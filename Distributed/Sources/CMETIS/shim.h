// METIS 5 (Debian libmetis-dev: 32-bit idx_t and real_t; no pkg-config file, hence a plain module map).
#include <metis.h>
