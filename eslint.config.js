// Lint: the recommended JS and TypeScript rules, two type-aware rules on the product's code,
// and the boundaries between its parts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'cusp-data/**', 'installers/out/**', '.scratch*/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly',
        clearInterval: 'readonly', setImmediate: 'readonly', TextDecoder: 'readonly',
        TextEncoder: 'readonly', structuredClone: 'readonly', performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  // Type-aware rules on the product's code (about 25 s here): a promise nobody awaits or
  // voids loses its error; a switch over a union must name every member (a new job kind,
  // role or state must be handled where it is switched on, not fall through).
  {
    files: ['src/**/*.ts', 'daemon/**/*.ts', 'tui/**/*.ts', 'tui/**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  // The boundaries between the parts (ARCHITECTURE.md), kept by the linter rather than by
  // discipline: the core never reaches up into the daemon or the console; only the store
  // holds the database driver (the pid file's lock is not the database); only mesh/bvh
  // holds three.js (the browser app in web/ is its own world).
  {
    files: ['src/**/*.ts'],
    ignores: ['src/store/**', 'src/mesh/bvh/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/daemon/**', '**/tui/**'], message: 'src/ is the core: it never imports the daemon (composition root) or the console' },
        { group: ['better-sqlite3-multiple-ciphers'], message: 'only src/store holds the database driver: add a repository method' },
        { group: ['three', 'three/**', 'three-mesh-bvh', 'three-mesh-bvh/**'], message: 'only src/mesh/bvh holds three.js: the mesh core works on typed arrays' },
      ] }],
    },
  },
  {
    files: ['src/store/**/*.ts', 'src/mesh/bvh/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/daemon/**', '**/tui/**'], message: 'src/ is the core: it never imports the daemon or the console' }] }],
    },
  },
  // The mesh core is pure: bytes in, results out. Files are read by its callers.
  {
    files: ['src/mesh/**/*.ts'],
    ignores: ['src/mesh/bvh/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:fs', 'node:fs/*', 'fs', 'fs/*', 'node:net', 'node:http', 'node:https', 'node:child_process', 'node:worker_threads'], message: 'the mesh core does no I/O: its callers read and write files' },
        { group: ['**/daemon/**', '**/tui/**'], message: 'src/ is the core: it never imports the daemon or the console' },
        { group: ['better-sqlite3-multiple-ciphers'], message: 'only src/store holds the database driver' },
        { group: ['three', 'three/**', 'three-mesh-bvh', 'three-mesh-bvh/**'], message: 'only src/mesh/bvh holds three.js' },
      ] }],
    },
  },
  {
    files: ['daemon/**/*.ts', 'tui/**/*.ts', 'tui/**/*.tsx'],
    ignores: ['daemon/pid-file.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['better-sqlite3-multiple-ciphers'], message: 'only src/store holds the database driver' },
        { group: ['three', 'three/**', 'three-mesh-bvh', 'three-mesh-bvh/**'], message: 'only src/mesh/bvh holds three.js' },
      ] }],
    },
  },
  // No function past cyclomatic complexity 25 (issue 19): split along named steps or a
  // lookup table instead. The mesh core's two hand-written hot loops that measured slower
  // when split say so where they are.
  {
    files: ['src/**/*.ts', 'daemon/**/*.ts', 'tui/**/*.ts', 'tui/**/*.tsx'],
    rules: { complexity: ['error', 25] },
  },
);
