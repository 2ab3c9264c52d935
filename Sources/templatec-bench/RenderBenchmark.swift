import TemplateCompiler

/// Rendering speed: in-process renders per second for a typical one-hole-per-variable template,
/// and the `render --serve` request loop (JSON parse, cached compile, render, JSON answer) in
/// process. `scripts/bench/render_baseline.py` does the same JSON-lines work in Python with
/// `str.format`, for the comparison recorded in docs/performance.md.
enum RenderBenchmark {
    static func run() -> [String] {
        var lines: [String] = ["== rendering"]
        let source = TemplateSource("-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};")
        guard case .success(let template) = Compiler.compile(source) else { return lines + ["cannot compile the benchmark template"] }
        let values = [
            RenderValues([.schema: "sales", .table: "orders", .description: "Orders placed by customers; one row per order."]),
            RenderValues([.schema: "Sales", .table: "order items", .description: "it's the \"line\" table \\ with quotes"]),
        ]
        // Warm up, then count renders in about one second.
        var bytes = 0
        for i in 0..<10_000 { bytes &+= (try? template.render(values[i & 1]))?.utf8.count ?? 0 }
        let clock = ContinuousClock()
        var renders = 0
        let start = clock.now
        var elapsed = Duration.zero
        while elapsed < .seconds(1) {
            for i in 0..<10_000 { bytes &+= (try? template.render(values[i & 1]))?.utf8.count ?? 0 }
            renders += 10_000
            elapsed = clock.now - start
        }
        let perSecond = Double(renders) / seconds(elapsed)
        lines.append("render in process: \(format(perSecond)) renders/s (\(renders) renders, goal ≥ 1,000,000/s)")

        // The serve loop, in process.
        let service = RenderService()
        let requests: [[UInt8]] = (0..<1000).map { i in
            Array(#"{"id":\#(i),"template":"COMMENT ON TABLE {schema}.{table} IS {description};","dialect":"postgres","update":"description","level":"table","vars":{"schema":"sales","table":"orders_\#(i % 10)","description":"Orders placed by customer \#(i); it's one row per order."}}"#.utf8)
        }
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        var answered = 0
        let serveStart = clock.now
        var serveElapsed = Duration.zero
        while serveElapsed < .seconds(1) {
            for r in requests {
                r.withUnsafeBufferPointer { service.respond(to: $0, into: &out) }
                out.append(0x0A)
            }
            bytes &+= out.count
            out.removeAll(keepingCapacity: true)
            answered += requests.count
            serveElapsed = clock.now - serveStart
        }
        lines.append("render --serve loop in process: \(format(Double(answered) / seconds(serveElapsed))) requests/s (\(answered) requests)")
        if bytes == 42 { lines.append("") }   // keeps the work observable
        return lines
    }

    static func seconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }

    static func format(_ x: Double) -> String {
        let n = Int(x)
        var s = String(n)
        var i = s.count - 3
        while i > 0 { s.insert(",", at: s.index(s.startIndex, offsetBy: i)); i -= 3 }
        return s
    }
}
