// libFuzzer entry for the language server's message reader (the LSP base protocol's framing).
// fuzz-sources: Sources/templatec/LSP/MessageFramer.swift
// The bytes are a client's whole output. They are read whole, in pieces whose sizes come from
// the input and byte by byte; all three readings must give the same messages and refusals (what
// arrives in which read must not change what a message is). No message is above the limit, every
// refusal has a reason, and what is left pending is bounded by the limits.

private let fuzzLimits = MessageFramer.Limits(headerBytes: 256, bodyBytes: 4096)

private func readAll(_ bytes: [UInt8], pieceSizes: [Int]) -> [MessageFramer.Event] {
    var framer = MessageFramer(limits: fuzzLimits)
    var events: [MessageFramer.Event] = []
    var i = 0
    var k = 0
    while i < bytes.count {
        let size = pieceSizes.isEmpty ? bytes.count : max(1, pieceSizes[k % pieceSizes.count])
        k += 1
        framer.append(bytes[i..<min(i + size, bytes.count)])
        i += size
        while let e = framer.next() { events.append(e) }
        // Kept bytes: at most one header block and one body (a refused body is not kept).
        if framer.keptBytes > fuzzLimits.headerBytes + 2 + fuzzLimits.bodyBytes {
            fatalError("invariant broken: \(framer.keptBytes) bytes kept")
        }
    }
    return events
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLSPMessages(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = readAll(bytes, pieceSizes: [])
    let sizes = bytes.prefix(8).map { Int($0 % 17) + 1 }
    if readAll(bytes, pieceSizes: sizes) != whole { fatalError("invariant broken: piecewise reading differs") }
    if readAll(bytes, pieceSizes: [1]) != whole { fatalError("invariant broken: bytewise reading differs") }
    for e in whole {
        switch e {
        case .message(let body): if body.count > fuzzLimits.bodyBytes { fatalError("invariant broken: body above the limit") }
        case .dropped(let why): if why.isEmpty { fatalError("invariant broken: refusal without a reason") }
        }
    }
    return 0
}
