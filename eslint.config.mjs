import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nextVitals from 'eslint-config-next/core-web-vitals';

// Type-only imports are enforced by tsc (verbatimModuleSyntax), so no type-aware lint rules here.
export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.next/',
      'next-env.d.ts',
      'content/**/starter/',
      'content/**/solution/',
    ],
  },
  js.configs.recommended,
  ...nextVitals,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
);
