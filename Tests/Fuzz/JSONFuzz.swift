// libFuzzer entry for the core JSON scanner, which reads every untrusted document: pipelines and
// channel files (check and sync), `.templatec.json`, compiled artifacts and `render --serve`
// requests. Build (with Sources/TemplateCompiler/**/*.swift): scripts/fuzz.sh 60 JSONFuzz.
// Invariants: the two trees the scanner builds (positional `JSONValue`, plain `JSONDocument`)
// accept and refuse the same inputs, at the same offset; every offset lies inside the input; the
// decoded bytes of a string map to increasing offsets inside its quotes; no key repeats in an
// object. Anything else traps.

@_cdecl("LLVMFuzzerTestOneInput")
public func jsonFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var positional: JSONValue? = nil
    var positionalError: JSONSyntaxError? = nil
    do { positional = try JSONScanner.parse(bytes) } catch { positionalError = error }
    var plainError: JSONSyntaxError? = nil
    do { _ = try JSONDocument.parse(bytes) } catch { plainError = error }
    guard (positionalError == nil) == (plainError == nil) else {
        fatalError("the trees disagree: \(String(describing: positionalError)) vs \(String(describing: plainError))")
    }
    if let e = positionalError {
        guard e.offset >= 0, e.offset <= size, e.offset == plainError!.offset else { fatalError("bad error offset \(e) / \(plainError!)") }
        return 0
    }
    check(positional!, size)
    return 0
}

private func check(_ v: JSONValue, _ size: Int) {
    switch v {
    case .object(let members):
        var keys = Set<String>()
        for m in members {
            guard keys.insert(m.key).inserted else { fatalError("repeated key \(m.key)") }
            guard m.keyOffset >= 0, m.keyOffset < size else { fatalError("key offset \(m.keyOffset) outside the input") }
            check(m.value, size)
        }
    case .array(let items):
        for item in items { check(item, size) }
    case .string(let s):
        guard s.offsets.count == s.bytes.count + 1, s.start >= 0 else { fatalError("offset map of the wrong size") }
        var previous = s.start
        for o in s.offsets {
            guard o >= previous, o < size else { fatalError("offsets not increasing inside the input: \(s.offsets)") }
            previous = o
        }
    case .number, .bool, .null:
        break
    }
}
