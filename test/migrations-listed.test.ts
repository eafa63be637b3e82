// Every migration file is one the app runs: a file left out of src/db/database.ts's list is never applied, and no
// test would notice (the radar's review index sat unapplied for a stop that way).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { migrationNames } from '../src/db/database.ts';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/db/migrations');

test('the migration list names every file in src/db/migrations, and nothing else', () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
  assert.deepEqual([...migrationNames()].sort(), files);
});
