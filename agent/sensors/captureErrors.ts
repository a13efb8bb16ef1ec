// Errors a capture reader reports (never throws mid-stream): where the data stopped making sense.

export class CaptureFormatError extends Error {
  constructor(
    message: string,
    // Absolute byte offset in the capture where the problem starts.
    readonly offset: number
  ) {
    super(message);
    this.name = 'CaptureFormatError';
  }
}

// The capture ended inside a header or a packet: everything before `offset` was delivered.
export class CaptureTruncatedError extends CaptureFormatError {
  constructor(
    message: string,
    offset: number,
    // Frames delivered before the cut.
    readonly framesBeforeCut: number
  ) {
    super(message, offset);
    this.name = 'CaptureTruncatedError';
  }
}
