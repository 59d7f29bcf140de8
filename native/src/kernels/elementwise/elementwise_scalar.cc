// The elementwise kernels compiled for the scalar path (flags chosen by the file name).
#include "kernels/elementwise/elementwise_impl.h"
