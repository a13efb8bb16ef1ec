// Quotes a user-supplied value inside an error message, cut short so a huge input is never echoed back.
const DEFAULT_MAX_CHARS = 64;

// Strings are quoted, other values shown as JSON: "0" and 0 stay distinguishable.
export function quoteInput(value: unknown, maxChars = DEFAULT_MAX_CHARS): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const show = (t: string) => (typeof value === 'string' ? JSON.stringify(t) : t);
  if (text.length <= maxChars) {
    return show(text);
  }
  return `${show(text.slice(0, maxChars))}… (${text.length} characters)`;
}
