/**
 * `import()` of a package that only ships ES modules (@kubernetes/client-node). The bundled CLI runs as a classic
 * script compiled by src/cli/bundle-loader.ts, where `import()` needs an experimental flag on Node 20; that loader
 * leaves an importer of its own under this symbol. Elsewhere (tests, tsc's output) the plain `import()` serves.
 */
export const IMPORT_MODULE_HOOK = Symbol.for("mesh.importModule");

export function importModule(specifier: string): Promise<unknown> {
  const hook = (globalThis as { [IMPORT_MODULE_HOOK]?: (specifier: string) => Promise<unknown> })[IMPORT_MODULE_HOOK];
  return hook ? hook(specifier) : import(specifier);
}
