// Buffer sizes for moving output fast, measured with `Benchmarks/bench.py --only stream`: with
// NIO's defaults (the client's socket reads growing only to 64 KiB, and a 64 KiB write high
// watermark that one 64 KiB frame crosses, pausing the command's pipe after every frame) one
// TLS stream ran at ~110 MB/s; with these, ~620 MB/s (socat's raw TCP: ~1,050 MB/s, same run).
// A fixed 64 KiB read size on the command's pipe was slower than NIO's adaptive one (~250).

import NIOCore

public enum Streaming {
    /// Sockets read up to 256 KiB at a time when data keeps coming, but start small: a
    /// connection keeps its read buffer (and frames queued for the front end share it), so a
    /// 64 KiB start cost ~70 KiB per host in a 1,000-host run of `echo`.
    public static let socketReadAllocator = AdaptiveRecvByteBufferAllocator(
        minimum: 2 << 10, initial: 4 << 10, maximum: 256 << 10)
    /// Outgoing bytes queued before a connection counts as not writable (and the command's
    /// output stops being read), and the level at which it resumes.
    public static let socketWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 256 << 10, high: 1 << 20)
}
