extension RenderService {
    /// The usual request, answered without a JSON tree (see `RenderRequestReader`). Its state is
    /// one value, so the service touches one stored property per request.
    struct FastPath {
        var reader = RenderRequestReader()
        /// Compile results by the raw bytes of the template and settings in the line (length-
        /// prefixed, see `appendField`); the last one is checked first, by comparing bytes only.
        /// The program, not the `CompiledTemplate`: one reference to copy, not a dozen.
        var byRawKey: [[UInt8]: Result<RenderProgram, RenderError>] = [:]
        var lastKey: [UInt8] = []
        var last: Result<RenderProgram, RenderError>? = nil
        var key: [UInt8] = []
        /// The rendered SQL of the current request (reused: its count is not the length).
        var sql: [UInt8] = []

        /// Appends the answer and returns true, or returns false (nothing appended) when the
        /// general path must answer.
        mutating func respond(to line: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], _ service: RenderService) -> Bool {
            guard reader.read(line), let compiled = compiled(line, service) else { return false }
            do throws(RenderError) {
                let program = try compiled.get()
                let n = try reader.valueBytes.withUnsafeBufferPointer { (bytes) throws(RenderError) -> Int in
                    try program.render(ReadValues(bytes: bytes, ranges: reader.ranges, tagList: reader.tags), into: &sql)
                }
                writeID(line, into: &out)
                out += RenderService.sqlKey
                sql.withUnsafeBufferPointer { JSONDocument.writeString(utf8: UnsafeBufferPointer(rebasing: $0[0..<n]), into: &out) }
                out.append(UInt8(ascii: "}"))
            } catch {
                writeID(line, into: &out)
                RenderService.writeErrorBody(error, into: &out)
            }
            return true
        }

        func writeID(_ line: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
            out += RenderService.idPrefix
            if let r = reader.idRaw {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: line[r]))
            } else {
                (reader.idValue ?? .null).write(into: &out)
            }
        }

        /// The compiled template for the request's raw template and settings; nil when one of them
        /// is not valid text (the general path explains).
        mutating func compiled(_ line: UnsafeBufferPointer<UInt8>, _ service: RenderService) -> Result<RenderProgram, RenderError>? {
            key.removeAll(keepingCapacity: true)
            appendField(reader.template, line)
            appendField(reader.dialect, line)
            appendField(reader.update, line)
            appendField(reader.level, line)
            if let last, key == lastKey { return last }
            let result: Result<RenderProgram, RenderError>
            if let cached = byRawKey[key] {
                result = cached
            } else {
                guard let template = RenderService.FastPath.decode(reader.template, line),
                      let dialect = RenderService.FastPath.decode(reader.dialect, line),
                      let update = RenderService.FastPath.decode(reader.update, line),
                      let level = RenderService.FastPath.decode(reader.level, line) else { return nil }
                result = service.compiled(TemplateKey(template: template, dialect: dialect, update: update, level: level)).map(\.program)
                if byRawKey.count >= service.cacheLimit { byRawKey.removeAll() }
                byRawKey[key] = result
            }
            lastKey = key
            last = result
            return result
        }

        /// Present or not, then the length and the bytes: no two different field lists give the
        /// same key.
        mutating func appendField(_ r: Range<Int>?, _ line: UnsafeBufferPointer<UInt8>) {
            guard let r else { key.append(0); return }
            key.append(1)
            var n = r.count
            for _ in 0..<4 { key.append(UInt8(truncatingIfNeeded: n)); n >>= 8 }
            key.append(contentsOf: UnsafeBufferPointer(rebasing: line[r]))
        }

        /// The text of a string's raw contents (`""` when absent, as the general path reads a missing
        /// setting); nil when it is not valid text.
        static func decode(_ r: Range<Int>?, _ line: UnsafeBufferPointer<UInt8>) -> String? {
            guard let r else { return "" }
            var p = JSONScanner(line)
            p.i = r.lowerBound - 1
            guard let (s, valid) = try? p.string(), valid else { return nil }
            return s
        }
    }
}
