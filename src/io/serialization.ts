/**
 * Serialization (tfjs-layers' and Keras' format): objects that can be written down describe
 * themselves as `{className, config}` (getConfig), and one registry of class names rebuilds them
 * (fromConfig). In files the keys and string values are snake_case (`use_bias: true`,
 * `activation: 'leaky_relu'`), in memory camelCase, converted as tfjs converts them; layer names
 * are never converted.
 */

/** A config: plain JSON. */
export type ConfigValue = number | string | boolean | null | ConfigValue[] | { [key: string]: ConfigValue };
export type Config = { [key: string]: ConfigValue };

/** An object's description: its registered class name and its config (camelCase). */
export interface Serialized {
  className: string;
  config: Config;
}

/** What can be described: a class name and a config. */
export interface Serializable {
  readonly className: string;
  getConfig(): Config;
}

/** A class that can be registered: its class name, and how to build an instance from its config. */
export interface SerializableClass {
  readonly className: string;
  fromConfig(config: Config): unknown;
}

const registry = new Map<string, (config: Config) => unknown>();

/**
 * Registers a class so that files naming it load: `static className = 'MyLayer'` and either a
 * `static fromConfig(config)` or a constructor that takes the config. A user class must be
 * registered before a model that uses it is loaded.
 */
export function registerClass(cls: SerializableClass | (abstract new (...args: never[]) => unknown) & { className?: string; fromConfig?: (config: Config) => unknown }): void {
  const className = (cls as { className?: unknown }).className;
  if (typeof className !== 'string' || className === '') {
    throw new TypeError('registerClass: the class needs a static className naming it, e.g. static className = \'MyLayer\'');
  }
  const fromConfig = (cls as { fromConfig?: (config: Config) => unknown }).fromConfig;
  registry.set(className, typeof fromConfig === 'function' ? (config) => fromConfig.call(cls, config) : (config) => new (cls as unknown as new (c: Config) => unknown)(config));
}

/** Registers how to build objects of a class name from a config (for library objects made by factories). */
export function registerDeserializer(className: string, build: (config: Config) => unknown): void {
  registry.set(className, build);
}

export function registeredClassNames(): string[] {
  return [...registry.keys()].sort();
}

/** `{className, config}` for an object that describes itself. */
export function serialize(object: Serializable): Serialized {
  return { className: object.className, config: object.getConfig() };
}

/** Whether a value is `{className, config}`. */
export function isSerialized(value: unknown): value is Serialized {
  return typeof value === 'object' && value !== null && typeof (value as Serialized).className === 'string' &&
    typeof (value as Serialized).config === 'object' && (value as Serialized).config !== null;
}

/** The object `{className, config}` describes, built by its registered class; `what` names it in errors. */
export function deserialize<T = unknown>(value: unknown, what: string): T {
  if (!isSerialized(value)) throw new TypeError(`${what}: expected {className, config}, got ${JSON.stringify(value)}`);
  const build = registry.get(value.className);
  if (!build) {
    throw new RangeError(`${what}: unknown class '${value.className}'; register it with et.serialization.registerClass(${value.className}) ` +
      `(a class with static className = '${value.className}' and a static fromConfig or a constructor taking the config) before loading`);
  }
  return build(value.config) as T;
}

/** tfjs' toSnakeCase: 'useBias' -> 'use_bias', 'LeakyReLU' -> 'leaky_re_lu'. */
export function toSnakeCase(name: string): string {
  const intermediate = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  const snake = intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return snake[0] === '_' ? `private${snake}` : snake;
}

/** tfjs' toCamelCase: 'use_bias' -> 'useBias'. */
export function toCamelCase(name: string): string {
  if (name.length <= 1 || !name.includes('_')) return name;
  return name.replace(/[_]+(\w|$)/g, (_, c: string) => c.toUpperCase());
}

/** In these lists the first entry of each item is a layer name, which is not converted. */
const LAYER_NAME_LISTS = new Set(['inboundNodes', 'inputLayers', 'outputLayers', 'inbound_nodes', 'input_layers', 'output_layers']);

function convert(value: unknown, key: string | undefined, keyCase: (k: string) => string, valueCase: (v: string) => string): ConfigValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return valueCase(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    return value.map((item, i) => (key !== undefined && LAYER_NAME_LISTS.has(key) && i === 0 && typeof item === 'string' ? item : convert(item, key, keyCase, valueCase)));
  }
  const out: Config = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const converted = keyCase(k);
    out[converted] = (k === 'name' || k === 'className' || k === 'class_name') && typeof v === 'string' ? v : convert(v, converted, keyCase, valueCase);
  }
  return out;
}

/** A camelCase config as a file holds it (snake_case keys and strings; names kept). */
export function toPythonic(config: unknown): ConfigValue {
  return convert(config, undefined, toSnakeCase, toSnakeCase);
}

/** A file's snake_case config in memory form (camelCase keys and strings; names kept). */
export function fromPythonic(config: unknown): ConfigValue {
  return convert(config, undefined, toCamelCase, toCamelCase);
}
