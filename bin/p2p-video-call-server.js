#!/usr/bin/env node
// The relay's command line; the code is compiled from server/cli.ts (`npm run build:tsc`).
import '../lib/server/cli.js';
