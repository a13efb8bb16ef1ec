/**
 * What an NFLOG prefix says about the policy that logged the packet. The pattern is a regular expression with a
 * named group `policy` and optionally `namespace`; the defaults read Calico-style `calico-drop:<ns>/<policy>`
 * (and `drop:`/`deny:` variants) and kube-router's `KUBE-NWPLCY-<chain>` prefixes.
 */

export const DEFAULT_PREFIX_PATTERNS = [
  '^(?:calico-drop|calico-deny|drop|deny|np-drop)[:-](?<namespace>[a-z0-9][a-z0-9.-]*)/(?<policy>[A-Za-z0-9._:-]+)',
  '^(?<policy>KUBE-NWPLCY-[A-Z0-9]+)',
];

export class NflogPrefixPattern {
  private readonly patterns: RegExp[];

  constructor(patterns: string | string[] = DEFAULT_PREFIX_PATTERNS) {
    this.patterns = (Array.isArray(patterns) ? patterns : [patterns]).map((source) => {
      let re: RegExp;
      try {
        re = new RegExp(source);
      } catch (err) {
        throw new Error(
          `nflog: prefixPattern "${source}" is not a valid regular expression: ${err instanceof Error ? err.message : err}`
        );
      }
      if (!source.includes('(?<policy>')) {
        throw new Error(`nflog: prefixPattern "${source}" needs a named group (?<policy>...)`);
      }
      return re;
    });
  }

  /** The policy named by the prefix as `namespace/name` (or `name`), undefined when no pattern matches. */
  policyOf(prefix: string): string | undefined {
    for (const re of this.patterns) {
      const groups = re.exec(prefix.trim())?.groups;
      if (groups?.policy) {
        return groups.namespace ? `${groups.namespace}/${groups.policy}` : groups.policy;
      }
    }
    return undefined;
  }
}
