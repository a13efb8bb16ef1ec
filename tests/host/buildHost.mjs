// Builds the host page into build/host/web: the host frontend bundled by esbuild with the npm packages the plugin
// declares (checked against package.json), SystemJS and its extras, and index.html.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '../..');
export const WEB_DIR = join(REPO, 'build', 'host', 'web');
const require = createRequire(join(REPO, 'package.json'));

// The installed version of each shared package must be the one the plugin was built against.
function checkSharedVersions() {
  const declared = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).dependencies;
  const problems = [];
  for (const name of ['@grafana/data', '@grafana/runtime', '@grafana/ui', '@grafana/schema', '@grafana/i18n', 'rxjs', '@emotion/css']) {
    const installed = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
    if (declared[name] && /^\d/.test(declared[name]) && declared[name] !== installed) {
      problems.push(`${name}: package.json declares ${declared[name]}, node_modules has ${installed}`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`shared dependencies differ from what the plugin declares (run npm ci): ${problems.join('; ')}`);
  }
}

// @grafana/scenes imports a table `defaultOptions` that this @grafana/schema no longer exports; webpack (the plugin's
// build) leaves such an import undefined with a warning, esbuild refuses it: give it the same undefined.
const missingSchemaExport = {
  name: 'missing-schema-export',
  setup(b) {
    b.onLoad({ filter: /@grafana\/schema\/dist\/esm\/raw\/composable\/table\/panelcfg\/x\/types\.gen\.mjs$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      return { contents: /\bdefaultOptions\b/.test(text) ? text : `${text}\nexport const defaultOptions = undefined;\n`, loader: 'js' };
    });
  },
};

// @grafana/ui's .mjs files import the default of CommonJS packages compiled from ES modules (`__esModule`). Webpack
// (Grafana's build) hands them `exports.default`; esbuild follows Node and hands an .mjs importer `module.exports`.
// Give these importers what Grafana's build gives them.
const ES_MODULE_INTEROP = { 'react-custom-scrollbars-2': 'react-custom-scrollbars-2/lib/index.js' };
const esModuleInterop = {
  name: 'es-module-interop',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(ES_MODULE_INTEROP).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'es-module-interop', pluginData: args.resolveDir }));
    b.onLoad({ filter: /.*/, namespace: 'es-module-interop' }, (args) => ({
      contents: `const m = require(${JSON.stringify(ES_MODULE_INTEROP[args.path])});\nmodule.exports = m.default;\nObject.assign(module.exports, m);\n`,
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};

export async function buildHost() {
  checkSharedVersions();
  mkdirSync(WEB_DIR, { recursive: true });
  await build({
    entryPoints: { host: join(here, 'web', 'main.tsx') },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outdir: WEB_DIR,
    // `define` is SystemJS's AMD define on this page: UMD packages in the bundle must not register through it.
    define: { 'process.env.NODE_ENV': process.env.HOST_DEV ? '"development"' : '"production"', global: 'window', define: 'undefined' },
    loader: { '.svg': 'text', '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty', '.png': 'empty' },
    logLevel: 'error',
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    plugins: [missingSchemaExport, esModuleInterop],
  });
  const systemjs = dirname(require.resolve('systemjs/package.json'));
  mkdirSync(join(WEB_DIR, 'systemjs', 'extras'), { recursive: true });
  cpSync(join(systemjs, 'dist', 'system.js'), join(WEB_DIR, 'systemjs', 'system.js'));
  for (const extra of ['amd.js', 'named-register.js']) {
    cpSync(join(systemjs, 'dist', 'extras', extra), join(WEB_DIR, 'systemjs', 'extras', extra));
  }
  // Grafana serves @grafana/ui's icons from its build; the front serves this copy at the same path.
  const ui = dirname(require.resolve('@grafana/ui/package.json'));
  cpSync(join(ui, 'dist', 'public', 'img', 'icons'), join(WEB_DIR, 'icons'), { recursive: true });
  writeFileSync(join(WEB_DIR, 'index.html'), readFileSync(join(here, 'web', 'index.html')));
  return WEB_DIR;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildHost();
  console.log(`host page built into ${WEB_DIR} in ${Date.now() - started} ms`);
}
