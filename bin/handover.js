#!/usr/bin/env node
// `npx handover …` entry. npx puts node_modules/.bin first on PATH, so `node` above is the pinned Node 24.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
