// The optimizer-update kernels compiled for the scalar path (flags chosen by the file name).
#include "kernels/optim/optim_impl.h"
