// Grafana's shared-dependency names (what the plugin's webpack build leaves external), each bound to the npm
// package the plugin declares; the plugin gets these very instances, as it does inside Grafana.
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaE2eSelectors from '@grafana/e2e-selectors';
import * as grafanaI18n from '@grafana/i18n';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaSchema from '@grafana/schema';
import * as grafanaUi from '@grafana/ui';
import * as d3 from 'd3';
import * as i18next from 'i18next';
import jquery from 'jquery';
import lodash from 'lodash';
// Grafana still shares moment with plugins; the host must offer it even though our own code never imports it.
// eslint-disable-next-line no-restricted-imports
import moment from 'moment';
import prismjs from 'prismjs';
import React from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import ReactDOM from 'react-dom';
import * as reactDomClient from 'react-dom/client';
import * as reactRedux from 'react-redux';
import * as reactRouter from 'react-router';
import * as reactRouterDom from 'react-router-dom';
import * as redux from 'redux';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';

export const sharedDependencies: Record<string, unknown> = {
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  '@grafana/data': grafanaData,
  '@grafana/e2e-selectors': grafanaE2eSelectors,
  '@grafana/i18n': grafanaI18n,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/schema': grafanaSchema,
  '@grafana/ui': grafanaUi,
  d3,
  i18next,
  jquery,
  lodash,
  moment,
  prismjs,
  react: React,
  'react/jsx-runtime': jsxRuntime,
  'react-dom': ReactDOM,
  'react-dom/client': reactDomClient,
  'react-redux': reactRedux,
  'react-router': reactRouter,
  'react-router-dom': reactRouterDom,
  redux,
  rxjs,
  'rxjs/operators': rxjsOperators,
};
