#!/usr/bin/env node
// Runs the TypeScript CLI directly: tsx registers its loader, then the entry point is imported and run.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/main.ts');
await runCli(process.argv);
