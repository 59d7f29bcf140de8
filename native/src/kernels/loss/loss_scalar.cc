// The fused-loss kernels compiled for the scalar path (flags chosen by the file name).
#include "kernels/loss/loss_impl.h"
