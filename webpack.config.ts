// The create-plugin webpack config, extended as the scaffold intends: the nested datasource's logo is shipped too.
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

// The scaffold copies only the app's logos; Grafana loads the datasource's from beside its own plugin.json.
const datasourceImages = new CopyWebpackPlugin({ patterns: [{ from: 'datasource/img', to: 'datasource/img' }] });

const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  return { ...base, plugins: [...(base.plugins ?? []), datasourceImages] };
};

export default config;
