// The reduction kernels compiled for the avx512 path (flags chosen by the file name).
#include "kernels/reduce/reduce_impl.h"
