// Why a layer decoder stopped; the packet decoder turns each into a DecodeCounters bump.
export const enum DecodeStatus {
  Ok = 0,
  Truncated = 1,
  Malformed = 2,
  UnsupportedLinkType = 3,
  UnsupportedProtocol = 4,
}
