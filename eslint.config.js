// ESLint flat config: `npm run lint` (with `--cache`, so a second run only re-lints changed files).
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Built output, generated declarations and the generated manifest.
    ignores: ['lib/', 'dist/', 'types/', 'node_modules/', 'custom-elements.json', 'screenshots/', '.tmp/'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // Every JS and TS file: ESLint's recommended rules.
  js.configs.recommended,

  // Plain JavaScript: build scripts, configs, benchmarks, test support and plugins run in node.
  // Functions they hand to `page.evaluate` run in the page, hence the browser globals for those
  // few files too.
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', globals: globals.node },
    // As in TypeScript (typescript-eslint's stylistic set): an empty function says why in a comment,
    // so a swallowed `.catch(() => {})` cannot go unexplained.
    rules: { 'no-empty-function': 'error' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs', globals: globals.node },
  },
  {
    files: [
      'bench/connect-baselines.mjs',
      'bench/connect/browser-runner.mjs',
      'bench/connect/page-trial.mjs',
      'bench/connect/trace.mjs',
      'scripts/screenshots.mjs',
      'test/support/wait.mjs',
    ],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['demo/**/*.js'],
    languageOptions: { globals: globals.browser },
  },

  // TypeScript (and the hand-written .d.mts of the test support): the type-checked rule sets,
  // with the types of tsconfig.test.json (src, server, test, bench).
  {
    files: ['**/*.{ts,mts}'],
    extends: [tseslint.configs.recommendedTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.test.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `T[]` for simple types, `Array<{ … }>` for the rest: how the code already writes them.
      '@typescript-eslint/array-type': ['error', { default: 'array-simple' }],
      // `void promise` marks an intentional fire-and-forget; everything else must be awaited or handled.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            // node:test's describe/it return a promise the runner itself awaits.
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
            // @open-wc/semantic-dom-diff types chai's every `equal` as async (for `.dom.equal`, which
            // no test uses); a plain `expect(x).to.equal(y)` asserts synchronously.
            { from: 'package', package: '@open-wc/semantic-dom-diff', name: 'Equal' },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `a || b` stays where an empty string or `false` must fall through too (a `lang` attribute
      // that is "", a device id that is "", `kind === 'video' && screen`).
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true, boolean: true } }],
      // `interface GlobalEventHandlersEventMap extends P2PVideoCallEventMap {}`: how a global map is augmented.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      // A Socket.IO listener gets its socket as `this`; `const socket = this` names it for the closures.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['socket'] }],
    },
  },
  {
    // Chai's property assertions are expressions: `expect(el).to.exist`.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },

  // The element and its view: Lit's template rules and the custom-element best practices.
  {
    files: ['src/ui/**/*.ts'],
    extends: [lit.configs['flat/recommended'], wc.configs['flat/best-practice']],
  },
);
