// The optimizer-update kernels compiled for the avx512 path (flags chosen by the file name).
#include "kernels/optim/optim_impl.h"
