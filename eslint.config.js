// ESLint with typescript-eslint's type-checked rules over the code, tests, benchmarks and scripts.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.e2e-artifacts/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Stores and fakes implement async ports without awaiting anything: that is their contract, not a slip.
      '@typescript-eslint/require-await': 'off',
      // A test server's handler refers to the server before the line that assigns it has run.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Lines of code stay readable without scrolling; strings are split too. A test's title stays one line
      // (splitting it would re-indent the whole test), and so do URLs and regular expressions.
      'max-len': [
        'error',
        {
          code: 120,
          ignoreUrls: true,
          ignoreRegExpLiterals: true,
          ignorePattern: String.raw`^\s*(it|test|describe)(\.\w+)*\(['"\x60]`,
        },
      ],
      // `const { dropped: _dropped, ...rest } = x` leaves a field out on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, varsIgnorePattern: '^_', argsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Tests read cards and JSON files whose shape they assert rather than declare.
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
