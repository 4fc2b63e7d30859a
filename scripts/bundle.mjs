#!/usr/bin/env node
/* global process, console */
// Bundles the compiled CLI (dist/src, from tsc) into dist/bundle/ with esbuild: Node then loads a
// handful of files instead of ~250 ES modules at every start (issue 14: a pre-commit run is mostly
// start-up). `bin/migration-lint.js` runs the bundle when it is there, else dist/src itself, so a tree
// without the bundle (esbuild missing) still works. `npm run build` rebuilds both.
//
// - The CLI itself is one CommonJS script, `cli.cjs`, run by `launch.js` (src/cli/launch.ts) with V8's
//   code cache (src/cli/code-cache.ts: Node 20 caches no ES module's compiled code, but `vm.Script`
//   takes cached data). Its lazy imports stay lazy: esbuild wraps each module reached by an `import()`
//   in an initialiser that runs on first import, so a lint run still never evaluates `verify` or yargs.
//   External packages are `require`d (PGlite is an ES module: Node >= 20.19 requires those), since a
//   dynamic `import()` inside a `vm.Script` needs a Node flag. The script is minified (whitespace and
//   syntax, names kept) and must be ASCII: it is read as latin1, the fastest string V8 makes.
// - Code splitting keeps the other entries small: `launch.js`, `rerun.js` and `worker.js` share chunks.
// - libpg-query, PGlite, pg and oxc-parser stay external: they ship WASM or native files next to their
//   code and find them relative to it.
// - `--cache`'s fast path is its own entry, `rerun.js` (src/cli/cached-rerun.ts): bin/migration-lint.js
//   runs it before `launch.js` reads `cli.cjs`, so an unchanged re-run loads only the cache reader.
// - The analysis worker is its own entry, `worker.js` beside the chunks, where src/pipeline/threads.ts
//   looks for it (`new URL("./worker.js", import.meta.url)`).
// - oxc-parser (only TypeScript / JavaScript migration modules need it) loads on first parse: it is
//   imported statically by src/extract/module.ts, and loading its native binding cost 90–170 ms of
//   every start, a plain SQL run and `--version` included. `lazyOxc` swaps that import for a stand-in
//   that requires the real package when `parseSync` is first called (no top-level await in it, so
//   Node's synchronous require of an ES module loads it).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dist = path.join(root, "dist", "src");
export const outdir = path.join(root, "dist", "bundle");
export const EXTERNAL = ["libpg-query", "@electric-sql/pglite", "@electric-sql/pglite/*", "pg", "pg-native", "oxc-parser", "@oxc-parser/*"];

/**
 * The stand-in for `import { parseSync, visitorKeys } from "oxc-parser"` (the only names the tree uses);
 * `load` is how the bundle's format gets a `require`.
 */
const lazyOxcSource = (load) => `
${load}
let oxc;
export let visitorKeys;
export function parseSync(...args) {
  if (!oxc) {
    oxc = load("oxc-parser");
    visitorKeys = oxc.visitorKeys;
  }
  return oxc.parseSync(...args);
}
`;

const lazyOxc = (source) => ({
  name: "lazy-oxc-parser",
  setup(b) {
    b.onResolve({ filter: /^oxc-parser$/ }, (args) => (args.namespace === "lazy-oxc" ? { path: "oxc-parser", external: true } : { path: "oxc-parser", namespace: "lazy-oxc" }));
    b.onLoad({ filter: /.*/, namespace: "lazy-oxc" }, () => ({ contents: source, loader: "js", resolveDir: root }));
  },
});

/**
 * zod's `locales` namespace (`z.locales.fr()` …) re-exports its ~50 translations: 300 KB, a sixth of
 * the CLI's script, read and hashed at every start. The tool's messages are English, set by zod itself
 * from `locales/en.js`, and nothing here calls `z.locales`: the namespace keeps `en` only.
 */
const englishOnlyZod = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: path.join(args.resolveDir, "..", "locales", "en.js"), namespace: "zod-locales" } : undefined));
    b.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({ contents: `export { default as en } from ${JSON.stringify(args.path)};\n`, loader: "js", resolveDir: path.dirname(args.path) }));
  },
};

/** The CommonJS script's stand-in for `import.meta.url` (src/cli/code-cache.ts passes it in). */
const IMPORT_META_URL = "__ml_import_meta_url";

/** The file beside the compiled tree that names this build (src/meta.ts reads it). */
export const BUILD_ID_FILE = "build-id.txt";

/**
 * A hash of every compiled file under `dirs` (paths and contents, in a fixed order). `--cache` keys its
 * entries on it as well as on the version: a tree installed from git (a pre-commit hook's `rev`, `npm
 * install github:…`) keeps the same version across commits, and the hook's cache file outlives them.
 */
export function buildId(dirs) {
  const hash = createHash("sha256");
  const walk = (dir, rel) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full, `${rel}${e.name}/`);
      else if (e.name.endsWith(".js") || e.name.endsWith(".json")) hash.update(`${rel}${e.name}\0`).update(readFileSync(full)).update("\0");
    }
  };
  for (const dir of dirs) if (existsSync(dir)) walk(dir, `${path.basename(dir)}/`);
  return hash.digest("hex");
}

export async function bundle({ quiet = false } = {}) {
  const { build } = await import("esbuild");
  rmSync(outdir, { recursive: true, force: true });
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    target: "node20",
    external: EXTERNAL,
    legalComments: "none",
    logLevel: quiet ? "error" : "warning",
    metafile: true,
    minifyWhitespace: true,
    minifySyntax: true,
  };
  const script = await build({
    ...common,
    entryPoints: { cli: path.join(dist, "cli", "main.js") },
    outdir,
    outExtension: { ".js": ".cjs" },
    format: "cjs",
    define: { "import.meta.url": IMPORT_META_URL },
    supported: { "dynamic-import": false },
    plugins: [lazyOxc(lazyOxcSource("const load = require;")), englishOnlyZod],
  });
  const cli = path.join(outdir, "cli.cjs");
  const nonAscii = readFileSync(cli).findIndex((b) => b > 0x7f);
  if (nonAscii >= 0) throw new Error(`bundle: ${path.relative(root, cli)} is not ASCII at byte ${nonAscii} (it is read as latin1)`);
  const modules = await build({
    ...common,
    entryPoints: { launch: path.join(dist, "cli", "launch.js"), worker: path.join(dist, "pipeline", "worker.js"), rerun: path.join(dist, "cli", "cached-rerun.js") },
    outdir,
    splitting: true,
    format: "esm",
    // Bundled CommonJS packages (yargs' helpers, globby's) call `require` for Node's own modules.
    banner: { js: 'import { createRequire as __mlCreateRequire } from "node:module"; const require = __mlCreateRequire(import.meta.url);' },
    chunkNames: "chunk-[hash]",
    plugins: [lazyOxc(lazyOxcSource('import { createRequire } from "node:module";\nconst load = createRequire(import.meta.url);')), englishOnlyZod],
  });
  return { outputs: { ...script.metafile.outputs, ...modules.metafile.outputs } };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  if (!existsSync(path.join(dist, "cli", "main.js"))) {
    console.error("bundle: dist/src/cli/main.js is missing: run `npm run build` (tsc) first");
    process.exit(1);
  }
  // Written before bundling, so a tree whose bundle cannot be built (dist/src alone) still has its id.
  writeFileSync(path.join(dist, BUILD_ID_FILE), `${buildId([dist, path.join(root, "dist", "rules")])}\n`);
  const meta = await bundle();
  const outputs = Object.entries(meta.outputs).filter(([f]) => f.endsWith(".js") || f.endsWith(".cjs"));
  const kb = outputs.reduce((n, [, o]) => n + o.bytes, 0) / 1024;
  console.log(`bundle: ${outputs.length} files, ${Math.round(kb)} KiB in ${path.relative(root, outdir)}/`);
}
