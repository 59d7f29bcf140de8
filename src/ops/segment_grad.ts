/** The gradient of the segment sum: each row of x went to its segment, so it gets that segment's dy. */
import { registerGradient } from '../autograd/gradients.js';
import { gather } from './gather.js';

registerGradient({
  kernelName: 'UnsortedSegmentSum',
  saveInputs: true,
  saveOutputs: false,
  gradFn: (dy, node) => [gather(dy, node.inputs[1], 0), null],
});
