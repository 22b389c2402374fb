// Buffer sizes for moving output fast, measured with `Benchmarks/bench.py --only stream`: with
// NIO's defaults (the client's socket reads growing only to 64 KiB, and a 64 KiB write high
// watermark that one 64 KiB frame crosses, pausing the command's pipe after every frame) one
// TLS stream ran at ~110 MB/s; with these, ~620 MB/s (socat's raw TCP: ~1,050 MB/s, same run).
// A fixed 64 KiB read size on the command's pipe was slower than NIO's adaptive one (~250).
//
// A command's output pipe holds 64 KiB by default: a fast command then blocks, and the agent
// wakes, every 64 KiB. A pipe found full is enlarged to 1 MiB (within an agent-wide budget, so
// many busy sessions cannot pin much kernel memory, nor use up an unprivileged user's pipe
// allowance, past which Linux gives that user's new pipes two pages), and read 256 KiB at a time.

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
    /// A command's output pipe: NIO's adaptive reads, up to what an enlarged pipe holds in a quarter.
    public static let pipeReadAllocator = AdaptiveRecvByteBufferAllocator(
        minimum: 64, initial: 2 << 10, maximum: 256 << 10)
    /// What Linux gives a new pipe; a read this large found the pipe full.
    public static let defaultPipeBytes = 64 << 10
    /// What a full output pipe is enlarged to (Linux's default `pipe-max-size`).
    public static let enlargedPipeBytes = 1 << 20
    /// All enlarged pipes of an agent together (Linux's soft limit per unprivileged user: 64 MiB).
    public static let enlargedPipesBudgetBytes = 16 << 20
}
