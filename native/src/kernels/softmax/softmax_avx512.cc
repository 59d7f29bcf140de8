// The softmax kernels compiled for the avx512 path (flags chosen by the file name).
#include "kernels/softmax/softmax_impl.h"
