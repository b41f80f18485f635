#!/usr/bin/env node
// The relay's command line; the code is compiled from server/cli/cli.ts (`npm run build:tsc`).
import '../lib/server/cli/cli.js';
