// Unknown configuration keys are mistakes (`captrue`, `tokne`): refused, naming the nearest key the agent knows.

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

// The closest known key when it is close enough to be what was meant.
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  const probe = key.slice(0, 64).toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(probe, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

// The message for the first key of `section` that is not known, or undefined when all are.
export function unknownKeyMessage(
  section: Record<string, unknown>,
  path: string,
  known: readonly string[]
): string | undefined {
  for (const key of Object.keys(section)) {
    if (!known.includes(key)) {
      const shown = key.length > 64 ? `${key.slice(0, 64)}…` : key;
      const where = path ? `${path}.${shown}` : shown;
      const near = nearestKey(key, known);
      return `unknown key "${where}"${near ? ` (did you mean "${path ? `${path}.` : ''}${near}"?)` : ''}; known keys${path ? ` of ${path}` : ''}: ${known.join(', ')}`;
    }
  }
  return undefined;
}
