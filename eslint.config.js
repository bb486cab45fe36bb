// ESLint: typescript-eslint's type-checked rules. Import cycles and layering are checked by dependency-cruiser (.dependency-cruiser.cjs).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", ".bench/", "test/golden/", "test/fixtures/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: { allowDefaultProject: ["*.ts", "*.js", "*.cjs"] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      // Control characters in patterns are deliberate: they implement YAML/XML escaping rules.
      "no-control-regex": "off",
      // CEL evaluation errors are thrown as plain CelFailure values (cel/runtime.ts), not Errors.
      "@typescript-eslint/only-throw-error": ["error", { allow: [{ from: "file", name: "CelFailure" }] }],
    },
  },
  {
    // Tests and the in-process API server handle decoded JSON freely; the no-unsafe-* rules would only add casts there.
    files: ["test/**/*.ts", "bench/**"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-redundant-type-constituents": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // bin/ is CommonJS (bin/package.json): the entry starts faster that way.
    files: ["bin/**/*.js"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
