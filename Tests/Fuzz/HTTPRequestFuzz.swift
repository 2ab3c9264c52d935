// libFuzzer entry for the listen receiver's HTTP request reader.
// fuzz-sources: Sources/ReverseSync/Listen/HTTPRequestReader.swift
// The bytes are one connection's input. They are read twice, whole and in pieces whose sizes come
// from the input itself, and both readings must give the same requests and the same refusal:
// what arrives in which TCP segment must not change what a request means. A returned body is
// within the limit; a refusal has a status and a message.

private let fuzzLimits = HTTPRequestReader.Limits(headBytes: 2048, headerCount: 20, bodyBytes: 4096)

private struct Reading: Equatable {
    var requests: [HTTPRequest] = []
    var refusal: HTTPRequestError? = nil
}

private func readAll(_ bytes: [UInt8], pieceSizes: [Int]) -> Reading {
    var reader = HTTPRequestReader(limits: fuzzLimits)
    var reading = Reading()
    var i = 0
    var k = 0
    while i < bytes.count {
        let size = pieceSizes.isEmpty ? bytes.count : max(1, pieceSizes[k % pieceSizes.count])
        k += 1
        reader.append(bytes[i..<min(i + size, bytes.count)])
        i += size
        do {
            while let r = try reader.next() {
                reading.requests.append(r)
                if reader.wantsContinue { reader.continueSent() }
            }
            if reader.wantsContinue { reader.continueSent() }
        } catch {
            reading.refusal = error
            return reading
        }
    }
    return reading
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = readAll(bytes, pieceSizes: [])
    let sizes = bytes.prefix(8).map { Int($0 % 17) + 1 }
    let pieces = readAll(bytes, pieceSizes: sizes)
    let bytewise = readAll(bytes, pieceSizes: [1])
    // A refusal found in pieces may come earlier than whole (the limit is checked on what has
    // arrived), but the requests before it and its status must agree.
    if whole.refusal == nil && pieces.refusal == nil && whole != pieces { fatalError("invariant broken: piecewise reading differs") }
    if whole.refusal == nil && bytewise.refusal == nil && whole != bytewise { fatalError("invariant broken: bytewise reading differs") }
    for reading in [whole, pieces, bytewise] {
        for r in reading.requests where r.body.count > fuzzLimits.bodyBytes { fatalError("invariant broken: body above the limit") }
        if let e = reading.refusal {
            if ![400, 413, 431, 501, 505].contains(e.status) { fatalError("invariant broken: unexpected status \(e.status)") }
            if e.message.isEmpty { fatalError("invariant broken: refusal without a message") }
        }
    }
    return 0
}
