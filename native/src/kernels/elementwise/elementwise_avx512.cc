// The elementwise kernels compiled for the avx512 path (flags chosen by the file name).
#include "kernels/elementwise/elementwise_impl.h"
