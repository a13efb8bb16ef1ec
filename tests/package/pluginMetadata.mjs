// The plugin metadata Grafana's plugin validator checks, read from the sources the build copies into dist/.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const json = (path) => JSON.parse(readFileSync(path, 'utf8'));

export function checkPluginMetadata(checks) {
  const app = json('src/plugin.json');
  const datasource = json('src/datasource/plugin.json');
  const nested = app.includes.find((i) => i.type === 'datasource');
  checks.check(
    'the app names its nested datasource by path',
    nested?.path === 'datasource/plugin.json' && existsSync(join('src', nested.path))
      ? []
      : [`includes entry: ${JSON.stringify(nested)}`]
  );
  const logos = Object.values(datasource.info.logos).map((logo) => join('src/datasource', logo));
  const webpack = readFileSync('webpack.config.ts', 'utf8');
  checks.check(
    "the datasource's logos exist and the build copies them beside its plugin.json",
    logos.every(existsSync) && /from: 'datasource\/img', to: 'datasource\/img'/.test(webpack)
      ? []
      : [`logos ${logos.join(', ')}`]
  );
  checks.check('the datasource has keywords', datasource.info.keywords?.length > 0 ? [] : ['info.keywords is empty']);
  const screenshots = app.info.screenshots ?? [];
  checks.check(
    'the app lists screenshots that exist',
    screenshots.length > 0 && screenshots.every((s) => existsSync(join('src', s.path)))
      ? []
      : [`screenshots: ${JSON.stringify(screenshots)}`]
  );
  checks.check(
    'LICENSE names its copyright owner',
    /\{yyyy\}|\{name of copyright owner\}/.test(readFileSync('LICENSE', 'utf8')) ? ['placeholder left'] : []
  );
  checks.check(
    'the backend datasource does not override testDatasource() (health is the backend’s CheckHealth)',
    /\btestDatasource\s*\(/.test(readFileSync('src/datasource/datasource.ts', 'utf8'))
      ? ['src/datasource/datasource.ts defines testDatasource()']
      : []
  );
}
