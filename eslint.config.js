// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'url',
  'worker_threads',
]

/** The renderer's import rules, with `more` patterns for a part of it. */
const rendererImports = (/** @type {{ group: string[], message: string }[]} */ more) => ({
  paths: [
    {
      name: 'electron',
      message: 'The renderer talks to the outside only through the Host contract.',
    },
  ],
  patterns: [
    { group: nodeBuiltins, message: 'The renderer runs in a browser: no Node modules.' },
    { group: ['**/electron/**'], message: 'The renderer may not import the Electron shell.' },
    ...more,
  ],
})

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-artifacts/**', 'out/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.es2023 },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', rendererImports([])],
    },
  },
  {
    // The data layer reads top-down: the app and the features use it, never the reverse.
    files: ['renderer/data/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        rendererImports([
          {
            group: ['**/app/**', '**/features/**'],
            message: 'renderer/data imports neither renderer/app nor renderer/features.',
          },
        ]),
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'shared/ imports only shared/.' }],
          patterns: [
            { group: nodeBuiltins, message: 'shared/ imports only shared/.' },
            {
              group: [
                '**/renderer/**',
                '**/electron/**',
                'react',
                'react-dom',
                '@duckdb/*',
                'apache-arrow',
              ],
              message: 'shared/ imports only shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/renderer/**'],
              message: 'The Electron shell may not import the renderer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/renderer/**', '../main/**'],
              message: 'The engine process imports only shared/, Node and its libraries.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.{ts,mjs}', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
)
