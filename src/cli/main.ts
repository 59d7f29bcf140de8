#!/usr/bin/env node
/** The `edgetensor` executable (package.json bin): runs the program, reporting errors in one line. */
import { CommanderError } from 'commander';
import { run } from './program.js';

run(process.argv).catch((error: unknown) => {
  // Commander has printed its own message (bad argument, --help, --version).
  if (error instanceof CommanderError) process.exitCode = error.exitCode;
  else {
    console.error(`edgetensor: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
});
