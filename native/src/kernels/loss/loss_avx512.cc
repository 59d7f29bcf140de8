// The fused-loss kernels compiled for the avx512 path (flags chosen by the file name).
#include "kernels/loss/loss_impl.h"
