// The dense layer's activation gradients compiled for the scalar path (flags chosen by the file name).
#include "kernels/dense/dense_grad_impl.h"
