/** The native backend's storage: typed arrays like js, whose kernel outputs go back to the output pool when freed. */
import { CpuBackend } from '../backend.js';
import type { TypedArray } from '../../types.js';
import { giveBack } from './output_pool.js';

export class NativeBackend extends CpuBackend {
  constructor() {
    super('native');
  }

  override dispose(data: TypedArray): void {
    giveBack(data);
  }
}
