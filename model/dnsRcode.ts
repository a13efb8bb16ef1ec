// DNS response code names (IANA DNS parameters, RFC 1035 / 2136): the vocabulary of DnsDetails.rcode, whichever
// source saw the answer (a decoded packet or a Hubble L7 record).

const RCODE_NAMES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
  6: 'YXDOMAIN',
  7: 'YXRRSET',
  8: 'NXRRSET',
  9: 'NOTAUTH',
  10: 'NOTZONE',
};

// An unknown code prints as RCODE<n>, so nothing is lost to a missing table entry.
export function dnsRcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
}
