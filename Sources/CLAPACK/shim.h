// LAPACKE (netlib's thin C layer) over whatever LAPACK/BLAS Debian's alternatives select
// (OpenBLAS once libopenblas-dev is installed), plus CBLAS for level-2/3 products.
#ifndef GPNAV_CLAPACK_SHIM_H
#define GPNAV_CLAPACK_SHIM_H
#include <lapacke.h>
#include <cblas.h>
#endif
