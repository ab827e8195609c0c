// @ts-check
// ESLint 9 flat config. Why these plugins, and why some rules are off or tuned: docs/decisions/019-lint-and-format.md.
import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import { flatConfigs as importConfigs } from "eslint-plugin-import-x";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    // Build output, data, generated migration snapshots, test artefacts.
    ignores: [
      "build/**",
      "public/build/**",
      ".cache/**",
      "data/**",
      "db/migrations/meta/**",
      "test-results/**",
      "node_modules/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  importConfigs.recommended,
  importConfigs.typescript,
  {
    files: ["**/*.{ts,tsx,js}"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.node },
    },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
    },
    rules: {
      // fast-check and typescript-eslint are documented as `fc.integer()` / `tseslint.config()`: not a mistake here.
      "import-x/no-named-as-default-member": "off",
      // A leading underscore marks a value left out on purpose (`const { passwordHash: _omit, ...user } = row`).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
      // Comments cite the pages of docs/, which the repository holds, never a specification document outside it.
      "no-warning-comments": ["error", { terms: ["spec"], location: "anywhere" }],
      // The app matches control characters on purpose, to refuse them in text and redirects.
      "no-control-regex": "off",
      // Import cycles make module load order matter and block the split into feature modules (issue 8).
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      // Money is integer öre and decimal.js (docs/architecture.md); a float parse near an amount is a bug.
      "no-restricted-globals": [
        "error",
        { name: "parseFloat", message: "Money is integer öre: use parseKronor or decimal.js." },
      ],
      "no-restricted-properties": [
        "error",
        { object: "Number", property: "parseFloat", message: "Money is integer öre: use parseKronor or decimal.js." },
      ],
      // One policy (docs/roles.md#where-it-lives): a permission is asked of billing/policy.ts, never decided by
      // comparing the caller's role, in a route, a component, a use case or the data access.
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "BinaryExpression[operator=/^[!=]==?$/] > MemberExpression[object.name=/^(scope|user|actor|caller)$/][property.name='role']",
          message: "Ask the policy: can(actor, action, target) / authorize(...) from billing/policy.ts.",
        },
        {
          selector:
            "CallExpression[callee.property.name='includes'] > MemberExpression.arguments[object.name=/^(scope|user|actor|caller)$/][property.name='role']",
          message: "A role list is a permission: add the action to billing/policy.ts and ask can().",
        },
      ],
      // The dependency rule of docs/architecture.md: app → db → billing, app → billing; nothing imports app.
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./billing",
              from: ["./db", "./app", "./scripts", "./test"],
              message: "billing/ is the pure core: it imports nothing of the project.",
            },
            { target: "./db", from: ["./app", "./scripts", "./test"], message: "db/ may import billing/ only." },
          ],
        },
      ],
    },
  },
  {
    // The policy is where roles are compared.
    files: ["billing/policy.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    // Promises that nobody awaits lose errors (a PDF render, a transaction); these two rules need type information.
    files: ["**/*.{ts,tsx}"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      // Remix's onSubmit/onClick handlers may return a promise; only the other misuses are errors.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    files: ["app/**/*.tsx"],
    plugins: { react, "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    settings: { react: { version: "18.3" } },
    rules: {
      ...react.configs.flat.recommended.rules,
      ...react.configs.flat["jsx-runtime"].rules,
      ...reactHooks.configs["recommended-latest"].rules,
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // Tests read untyped JSON answers and poke at internals; `any` there is a choice, not an accident.
      "@typescript-eslint/no-explicit-any": "off",
      // Hostile-input tests send numbers too large for a double on purpose.
      "no-loss-of-precision": "off",
    },
  },
);
