// The segment-sum kernels compiled for the scalar path (flags chosen by the file name).
#include "kernels/segment/segment_impl.h"
