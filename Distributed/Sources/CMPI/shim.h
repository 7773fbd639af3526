#ifndef VANE_CMPI_SHIM_H
#define VANE_CMPI_SHIM_H
#include <mpi.h>

/* Open MPI's predefined handles are macros over addresses of globals, which Swift cannot import:
   one inline function each. */
static inline MPI_Comm vane_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype vane_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype vane_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype vane_mpi_int32(void) { return MPI_INT32_T; }
static inline MPI_Datatype vane_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Op vane_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op vane_mpi_min(void) { return MPI_MIN; }
static inline MPI_Op vane_mpi_max(void) { return MPI_MAX; }
static inline void *vane_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline int vane_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
static inline int vane_mpi_success(void) { return MPI_SUCCESS; }
static inline MPI_Errhandler vane_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }

#endif
