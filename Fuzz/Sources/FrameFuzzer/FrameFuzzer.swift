// libFuzzer entry point for the wire codec. Input: byte 0 picks how the rest is cut into reads
// (bits 0-5: read size in bytes, 0 = one read) and the data cap (bit 6: 16 bytes instead of
// 1 MiB, so data caps are reachable); bytes 1... are one connection's byte stream, decoded as
// client → agent (and run through the agent's session machine) and as agent → client.
// Errors are expected (most inputs are invalid); a trap (precondition, ASan report) is a bug.

import DistRunWire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let readSize = Int(data[0] & 0x3F)
    let limits = data[0] & 0x40 != 0 ? FrameLimits(maxDataPayloadBytes: 16) : FrameLimits()
    let stream = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    checkClientDirection(stream, readSize: readSize, limits: limits)
    checkAgentDirection(stream, readSize: readSize, limits: limits)
    return 0
}
