// Writes dist/index.cjs, the `require` entry: Node >= 20.19 loads the ESM build through
// require(esm), so CommonJS users get the very same module instance and types.
import { writeFileSync } from 'node:fs';

writeFileSync(
  new URL('../dist/index.cjs', import.meta.url),
  "'use strict';\n// CommonJS entry: the ESM build, loaded through require(esm) (Node >= 20.19).\nmodule.exports = require('./index.js');\n",
);
