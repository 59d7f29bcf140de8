// Lists the addon's sources for binding.gyp (gyp has no globbing), split the way
// CMakeLists.txt splits them: baseline files, *_avx2.cc and *_avx512.cc; or prints an
// ISA's compiler flags from isa-flags.json. Paths are relative to the repository root.
'use strict';
const fs = require('fs');
const path = require('path');

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

const [what, isa] = process.argv.slice(2);
if (what === 'flags') {
  const flags = JSON.parse(fs.readFileSync(path.join(__dirname, 'isa-flags.json'), 'utf8'));
  if (!flags[isa]) throw new Error(`unknown ISA '${isa}'; expected one of ${Object.keys(flags).join(', ')}`);
  console.log(flags[isa].join(' '));
} else {
  const all = walk(path.join(__dirname, 'src'))
    .filter((f) => f.endsWith('.cc'))
    .map((f) => path.relative(path.join(__dirname, '..'), f).split(path.sep).join('/'))
    .sort();
  const groups = {
    avx2: all.filter((f) => f.endsWith('_avx2.cc')),
    avx512: all.filter((f) => f.endsWith('_avx512.cc')),
    baseline: all.filter((f) => !f.endsWith('_avx2.cc') && !f.endsWith('_avx512.cc')),
  };
  if (!groups[what]) throw new Error(`usage: sources.cjs baseline|avx2|avx512 | flags <isa>`);
  console.log(groups[what].join(' '));
}
