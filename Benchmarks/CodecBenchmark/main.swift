// distrun-codec-bench: DistRunWire codec throughput against a plain memcpy of the same bytes.
//
// Cases: "64KiB_OUT" (4096 OUT frames of 64 KiB, 256 MiB on the wire) and "16B_INP" (INP frames
// of 16 bytes, 64 MiB on the wire so that one run stays well under two seconds). Per case:
//   decode  the wire bytes as fresh 64 KiB ByteBuffers, one per socket read (cut before the
//           clock starts), fed through NIOSingleStepByteToMessageProcessor (the cumulation
//           ByteToMessageHandler does) into FrameDecoder; every payload's readableBytes is summed
//           and checked against what was encoded.
//   encode  ByteBuffer.writeFrame of every frame into one reused ByteBuffer, cleared after each
//           4 MiB batch; the payloads are distinct buffers, not one hot payload.
//   memcpy  the same number of wire bytes copied between two preallocated arrays.
// One warm-up, then 7 runs; within run i, memcpy, decode and encode run back to back.
// GB/s is 1e9 wire bytes (7-byte header + payload) per second.
//
// Output, one JSON object on stdout:
//   {"read_chunk_bytes": 65536, "encode_batch_bytes": 4194304,
//    "cases": {"64KiB_OUT": {"payload_bytes": P, "frames": N, "wire_bytes": W,
//                            "decode": {"runs_gbps": [...], "runs_frames_per_s": [...]},
//                            "encode": {"runs_gbps": [...], "runs_frames_per_s": [...]},
//                            "memcpy": {"runs_gbps": [...]}},
//              "16B_INP": {...}}}
// `--chunk N` sets another read size, for diagnosis.

import DistRunWire
import NIOCore

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

struct Case {
    let name: String, token: Token, payloadBytes: Int, frames: Int
    var wireBytes: Int { frames * (Frame.headerBytes + payloadBytes) }
}

let cases = [
    Case(name: "64KiB_OUT", token: .output, payloadBytes: 64 << 10, frames: 4096),
    Case(name: "16B_INP", token: .input, payloadBytes: 16, frames: (64 << 20) / 23),
]
let runs = 7
let encodeBatchBytes = 4 << 20
let arguments = CommandLine.arguments
let readChunk = arguments.firstIndex(of: "--chunk").map { Int(arguments[$0 + 1])! } ?? 64 << 10

func seconds(_ body: () -> Void) -> Double {
    let start = ContinuousClock.now
    body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

/// The wire bytes as separate buffers of `chunk` bytes, last read first (decode pops them).
func reads(of wire: ByteBuffer, chunk: Int) -> [ByteBuffer] {
    wire.withUnsafeReadableBytes { bytes in
        stride(from: 0, to: bytes.count, by: chunk).reversed().map {
            ByteBuffer(bytes: UnsafeRawBufferPointer(rebasing: bytes[$0..<min($0 + chunk, bytes.count)]))
        }
    }
}

/// Decodes every read; popping hands each buffer over uniquely owned, as a channel read does.
func decode(_ reads: inout [ByteBuffer]) -> (frames: Int, payloadBytes: Int) {
    let processor = NIOSingleStepByteToMessageProcessor(FrameDecoder(accepting: Token.clientTokens.union(Token.agentTokens)))
    var frames = 0
    var payloadBytes = 0
    while let read = reads.popLast() {
        try! processor.process(buffer: read) { frame in
            frames += 1
            payloadBytes += frame.payload.readableBytes
        }
    }
    precondition(processor.unprocessedBytes == 0)
    return (frames, payloadBytes)
}

func encode(_ frames: [Frame], into out: inout ByteBuffer, batchFrames: Int) -> Int {
    var written = 0
    out.clear()
    for (index, frame) in frames.enumerated() {
        if index % batchFrames == 0 {
            written += out.readableBytes
            out.clear()
        }
        out.writeFrame(frame)
    }
    return written + out.readableBytes
}

func json(_ values: [Double]) -> String { "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }

let largest = cases.map(\.wireBytes).max()!
var source = [UInt8](repeating: 0x5A, count: largest)
var target = [UInt8](repeating: 0, count: largest)
var results: [String] = []

for c in cases {
    // Varied payload bytes, one slice per frame (NIO copies slices that start past 16 MiB).
    var payloads = ByteBuffer()
    payloads.writeWithUnsafeMutableBytes(minimumWritableBytes: c.frames * c.payloadBytes) { bytes in
        for index in 0..<c.frames * c.payloadBytes { bytes[index] = UInt8(truncatingIfNeeded: index &* 31) }
        return c.frames * c.payloadBytes
    }
    let frames = (0..<c.frames).map { Frame(c.token, payloads.getSlice(at: $0 * c.payloadBytes, length: c.payloadBytes)!) }
    var wire = ByteBuffer()
    wire.reserveCapacity(c.wireBytes)
    for frame in frames { wire.writeFrame(frame) }
    precondition(wire.readableBytes == c.wireBytes)
    let batchFrames = max(1, encodeBatchBytes / (Frame.headerBytes + c.payloadBytes))
    var out = ByteBuffer()
    out.reserveCapacity(batchFrames * (Frame.headerBytes + c.payloadBytes))

    func copy() {
        target.withUnsafeMutableBytes { to in
            source.withUnsafeBytes { from in _ = memcpy(to.baseAddress!, from.baseAddress!, c.wireBytes) }
        }
    }
    var decodeSeconds: [Double] = []
    var encodeSeconds: [Double] = []
    var copySeconds: [Double] = []
    for run in 0...runs {  // run 0 is the warm-up
        let copied = seconds(copy)
        var chunks = reads(of: wire, chunk: readChunk)
        var decoded = (frames: 0, payloadBytes: 0)
        let decoding = seconds { decoded = decode(&chunks) }
        precondition(decoded.frames == c.frames && decoded.payloadBytes == c.frames * c.payloadBytes)
        var encoded = 0
        let encoding = seconds { encoded = encode(frames, into: &out, batchFrames: batchFrames) }
        precondition(encoded == c.wireBytes)
        if run > 0 {
            copySeconds.append(copied)
            decodeSeconds.append(decoding)
            encodeSeconds.append(encoding)
        }
    }
    func gbps(_ times: [Double]) -> [Double] { times.map { Double(c.wireBytes) / $0 / 1e9 } }
    func perSecond(_ times: [Double]) -> [Double] { times.map { Double(c.frames) / $0 } }
    results.append(
        """
        "\(c.name)": {"payload_bytes": \(c.payloadBytes), "frames": \(c.frames), "wire_bytes": \(c.wireBytes),
         "decode": {"runs_gbps": \(json(gbps(decodeSeconds))), "runs_frames_per_s": \(json(perSecond(decodeSeconds)))},
         "encode": {"runs_gbps": \(json(gbps(encodeSeconds))), "runs_frames_per_s": \(json(perSecond(encodeSeconds)))},
         "memcpy": {"runs_gbps": \(json(gbps(copySeconds)))}}
        """)
}

print(
    "{\"read_chunk_bytes\": \(readChunk), \"encode_batch_bytes\": \(encodeBatchBytes),\n\"cases\": {\n"
        + results.joined(separator: ",\n") + "}}")
