#if canImport(Glibc)
import Glibc
#endif
import TemplateCompiler

/// `templatec render --serve`: JSON lines on standard input, one JSON line per request on standard
/// output (the logic is `RenderService`, in the core). A bad line is answered with an error and
/// the server goes on. Answers are flushed before the server waits for more input, so a client
/// that writes one request and waits gets its answer at once.
enum ServeCommand {
    static func serve() -> Int32 {
        let service = RenderService()
        var pending: [UInt8] = []
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            pending.append(contentsOf: chunk[0..<n])
            var start = 0
            pending.withUnsafeBufferPointer { p in
                while start < p.count, let found = memchr(p.baseAddress! + start, 0x0A, p.count - start) {
                    let nl = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - p.baseAddress!
                    handle(UnsafeBufferPointer(rebasing: p[start..<nl]), service, &out)
                    start = nl + 1
                }
            }
            pending.removeFirst(start)
            write(&out)
        }
        // A last line without a newline is still a request.
        if !pending.isEmpty {
            pending.withUnsafeBufferPointer { handle($0, service, &out) }
            write(&out)
        }
        return ExitStatus.ok
    }

    static func handle(_ line: UnsafeBufferPointer<UInt8>, _ service: RenderService, _ out: inout [UInt8]) {
        var line = line
        if line.last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
        // A blank line gets an answer too (an error): a client that sent it is waiting.
        service.respond(to: line, into: &out)
        out.append(0x0A)
    }

    static func write(_ out: inout [UInt8]) {
        Output.flush()
        out.withUnsafeBufferPointer { p in
            var off = 0
            while off < p.count {
                let n = Glibc.write(1, p.baseAddress! + off, p.count - off)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                off += n
            }
        }
        out.removeAll(keepingCapacity: true)
    }
}
