const warned = new Set<string>();

/** Prints a warning once per key for the life of the process. */
export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(`edgetensor: ${message}`);
}
