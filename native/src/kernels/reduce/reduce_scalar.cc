// The reduction kernels compiled for the scalar path (flags chosen by the file name).
#include "kernels/reduce/reduce_impl.h"
