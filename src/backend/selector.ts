/**
 * Which backends exist, which one is active, and how the default is picked:
 * EDGETENSOR_BACKEND if set, else native when the addon loads, else js with one warning that
 * says how to build the addon.
 */
import type { BackendName } from '../types.js';
import { warnOnce } from '../util/warn.js';
import { CpuBackend, type Backend } from './backend.js';
import type { KernelName } from './kernel.js';
import { registeredKernels } from './registry.js';
import { registerJsKernels } from './js/index.js';
import { ADDON_BUILD_HINT, loadAddon } from './native/addon.js';
import { registerNativeKernels } from './native/index.js';
import { NativeBackend } from './native/backend.js';
import { gpuUnavailableReason, openGpuBackend } from './gpu/index.js';

export const BACKEND_NAMES: readonly BackendName[] = ['native', 'gpu', 'js'];

const instances = new Map<BackendName, Backend>();
let active: BackendName | null = null;

function assertBackendName(name: unknown): asserts name is BackendName {
  if (!BACKEND_NAMES.includes(name as BackendName)) {
    throw new TypeError(`unknown backend ${JSON.stringify(name)}; expected one of ${BACKEND_NAMES.map((b) => `'${b}'`).join(', ')}`);
  }
}

/** Why a backend cannot be used here, or null when it can. */
function unavailableReason(name: BackendName): string | null {
  switch (name) {
    case 'js':
      return null;
    case 'native': {
      const { addon, error } = loadAddon();
      return addon ? null : `the native addon is not built or failed to load (${error}); ${ADDON_BUILD_HINT}`;
    }
    case 'gpu':
      return gpuUnavailableReason();
  }
}

export function getBackendInstance(name: BackendName): Backend {
  let backend = instances.get(name);
  if (backend) return backend;
  const reason = unavailableReason(name);
  if (reason) throw new Error(`backend '${name}' is not available: ${reason}`);
  registerJsKernels();
  if (name === 'native') registerNativeKernels(loadAddon().addon!);
  backend = name === 'gpu' ? openGpuBackend()! : name === 'native' ? new NativeBackend() : new CpuBackend(name);
  instances.set(name, backend);
  return backend;
}

/**
 * Makes `backend` usable under its own name, one outside BACKEND_NAMES (so setBackend and
 * backends() never offer it); returns the function that removes it again. Internal, for tests:
 * the js fallback needs a backend that lacks kernels, and the real ones lack none.
 */
export function installBackend(backend: Backend): () => void {
  if (BACKEND_NAMES.includes(backend.name) || instances.has(backend.name)) throw new Error(`backend '${backend.name}' exists already`);
  registerJsKernels();
  instances.set(backend.name, backend);
  return () => {
    instances.delete(backend.name);
  };
}

/** The backends usable in this process, best first. */
export function backends(): BackendName[] {
  return BACKEND_NAMES.filter((b) => unavailableReason(b) === null);
}

export function setBackend(name: BackendName): void {
  assertBackendName(name);
  getBackendInstance(name);
  active = name;
}

function pickDefault(): BackendName {
  const requested = process.env.EDGETENSOR_BACKEND;
  if (requested && requested !== 'auto') {
    assertBackendName(requested);
    return requested;
  }
  if (unavailableReason('native') === null) return 'native';
  warnOnce('native-missing', `using the slow js backend: ${unavailableReason('native')}`);
  return 'js';
}

export function getBackend(): BackendName {
  if (active === null) setBackend(pickDefault());
  return active!;
}

/** Resolves once the active backend is ready (CPU backends are ready at once). */
export async function ready(): Promise<BackendName> {
  return getBackend();
}

/** The kernels a backend implements itself (the rest run on js, with a notice). */
export function implementedKernels(name: BackendName): KernelName[] {
  assertBackendName(name);
  getBackendInstance(name);
  return registeredKernels(name);
}
