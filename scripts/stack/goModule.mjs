// Reads the replace and exclude directives of a go.mod, so a wrapper module can be checked against its release.

/**
 * @typedef {{ from: string, to: string, local: boolean }} ReplaceDirective
 * @typedef {{ replaces: ReplaceDirective[], excludes: string[] }} GoModDirectives
 */

/** @param {string} text the go.mod file */
export function readGoModDirectives(text) {
  /** @type {GoModDirectives} */
  const result = { replaces: [], excludes: [] };
  let block = null;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\/\/.*$/, '').trim();
    if (line === '') {
      continue;
    }
    if (block) {
      if (line === ')') {
        block = null;
      } else {
        addDirective(result, block, line);
      }
      continue;
    }
    const opened = /^(replace|exclude)\s*\($/.exec(line);
    if (opened) {
      block = opened[1];
      continue;
    }
    const single = /^(replace|exclude)\s+(.+)$/.exec(line);
    if (single) {
      addDirective(result, single[1], single[2]);
    }
  }
  return result;
}

function addDirective(result, kind, body) {
  const spec = body.replace(/\s+/g, ' ').trim();
  if (kind === 'exclude') {
    result.excludes.push(spec);
    return;
  }
  const [from, to] = spec.split(' => ');
  if (from === undefined || to === undefined) {
    return;
  }
  // A filesystem replacement starts with ./ ../ or /; it points inside the release's repository.
  result.replaces.push({ from, to, local: /^(\.{1,2}\/|\/)/.test(to) });
}

/**
 * What a wrapper must repeat from its release and does not: module replacements and excludes.
 * Local (filesystem) replacements cannot be repeated and are left out.
 * @param {GoModDirectives} release
 * @param {GoModDirectives} wrapper
 * @returns {string[]} the missing directives, as go.mod lines
 */
export function missingDirectives(release, wrapper) {
  const have = new Set(wrapper.replaces.map((r) => `${r.from} => ${r.to}`));
  const excluded = new Set(wrapper.excludes);
  const missing = [];
  for (const r of release.replaces) {
    if (!r.local && !have.has(`${r.from} => ${r.to}`)) {
      missing.push(`replace ${r.from} => ${r.to}`);
    }
  }
  for (const e of release.excludes) {
    if (!excluded.has(e)) {
      missing.push(`exclude ${e}`);
    }
  }
  return missing;
}
