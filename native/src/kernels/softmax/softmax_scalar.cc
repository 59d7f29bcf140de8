// The softmax kernels compiled for the scalar path (flags chosen by the file name).
#include "kernels/softmax/softmax_impl.h"
