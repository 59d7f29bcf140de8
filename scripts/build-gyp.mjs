// Builds the addon with node-gyp from binding.gyp against the headers installed with this
// Node (never downloaded): <prefix>/include/node, where <prefix> holds bin/node.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const nodedir = path.resolve(path.dirname(process.execPath), '..');
const header = path.join(nodedir, 'include', 'node', 'node_api.h');
if (!existsSync(header)) {
  console.error(`build:gyp: ${header} is missing; node-gyp needs the headers installed with Node (Debian: the nodejs package ships them; or set npm_config_nodedir)`);
  process.exit(1);
}
const gyp = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const result = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`, `--jobs=max`], { stdio: 'inherit' });
process.exit(result.status ?? 1);
