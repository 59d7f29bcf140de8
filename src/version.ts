/** The package's version, as package.json gives it (the CLI's --version, the `generatedBy` of saved models). */
import { readFileSync } from 'node:fs';

export const EDGETENSOR_VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
