// Lint gate: warnings are errors (`--max-warnings 0`), and import rules keep each folder in its lane
// (see docs/architecture.md): only src/main/ml imports @tensorflow/*, only src/main/transport imports
// serialport, Electron is imported only by the Electron host and the preload, and neither src/shared nor
// the renderer can reach Node, Electron or src/main. Inside src/main, `local/folder-order` keeps the folders'
// imports pointing downward (eslint-rules/folder-order.js).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'
import globals from 'globals'
import { builtinModules } from 'node:module'
import prettier from 'eslint-config-prettier/flat'
import { localPlugin } from './eslint-rules/folder-order.js'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]

const msg = {
  node: 'Node built-ins are not available in this folder; move the code to src/main and call it through the API contract.',
  tf: 'Only src/main/ml may import @tensorflow/*; call the ml services instead.',
  serial: 'Only src/main/transport may import serialport; use the transport layer instead.',
  electron: 'Only src/main/hosts/electron and src/preload may import electron.',
  main: 'This folder must not import src/main; go through the API contract in src/shared/api.',
  renderer: 'Nothing outside src/renderer imports the renderer.',
  tfData: 'src/main/ml/data holds plain-Node dataset readers (the registry, CLI and benches load them without tfjs); keep @tensorflow/* out.'
}

const tfPatterns = { group: ['@tensorflow/*'], message: msg.tf }
const serialPatterns = { group: ['serialport', '@serialport/*'], message: msg.serial }
const electronPaths = [{ name: 'electron', message: msg.electron }]
const mainPatterns = { group: ['**/main/**', '@main/*'], message: msg.main }
const rendererPatterns = { group: ['**/renderer/**'], message: msg.renderer }

/** Builds one no-restricted-imports rule from the lanes a folder may not cross. */
function lanes({ node = false, tf = false, serial = false, electron = false, main = false, renderer = true }) {
  const paths = []
  const patterns = []
  if (node) paths.push(...nodeBuiltins.map((name) => ({ name, message: msg.node })))
  if (electron) paths.push(...electronPaths)
  if (tf) patterns.push(tfPatterns)
  if (serial) patterns.push(serialPatterns)
  if (main) patterns.push(mainPatterns)
  if (renderer) patterns.push(rendererPatterns)
  return { 'no-restricted-imports': ['error', { paths, patterns }] }
}

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'bench-results/**', 'coverage/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }]
    }
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module' } },
    rules: { 'vue/multi-word-component-names': 'off', 'vue/max-attributes-per-line': 'off', 'vue/singleline-html-element-content-newline': 'off', 'vue/html-self-closing': 'off' }
  },
  { files: ['src/main/**', 'src/preload/**', 'scripts/**', 'eslint-rules/**', 'bin/**', 'test/**', 'bench/**', '*.config.*'], languageOptions: { globals: { ...globals.node } } },
  { files: ['src/renderer/**'], languageOptions: { globals: { ...globals.browser } } },
  // The lanes. Later blocks override earlier ones for the same files.
  { files: ['src/shared/**'], rules: lanes({ node: true, tf: true, serial: true, electron: true, main: true }) },
  { files: ['src/renderer/**'], rules: lanes({ node: true, tf: true, serial: true, electron: true, main: true }) },
  { files: ['src/preload/**'], rules: lanes({ node: true, tf: true, serial: true, main: true }) },
  { files: ['src/main/**'], rules: lanes({ tf: true, serial: true, electron: true }) },
  { files: ['src/main/ml/**'], rules: lanes({ serial: true, electron: true }) },
  {
    files: ['src/main/ml/data/**'],
    rules: { 'no-restricted-imports': ['error', { paths: electronPaths, patterns: [{ group: ['@tensorflow/*'], message: msg.tfData }, serialPatterns, rendererPatterns] }] }
  },
  { files: ['src/main/transport/**'], rules: lanes({ tf: true, electron: true }) },
  { files: ['src/main/hosts/electron/**'], rules: lanes({ tf: true, serial: true }) },
  // The folder order of src/main (docs/architecture.md): imports go downward only. Tests (*.test.ts) are
  // exempt: a test may drive its folder against real parts above it (a boards test talks to an emulated board).
  { files: ['src/main/**/*.ts'], ignores: ['src/main/**/*.test.ts'], plugins: { local: localPlugin }, rules: { 'local/folder-order': 'error' } },
  // Layout is Prettier's (.prettierrc.json): this turns off every stylistic rule that could disagree with it.
  prettier
)
