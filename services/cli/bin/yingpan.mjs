#!/usr/bin/env node
// Runs the TypeScript CLI directly: tsx registers its loader, then the entry point is imported.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
