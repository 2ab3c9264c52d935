#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import TemplateCompiler
import TemplateWorkspace

/// `templatec match`: is this SQL an instance of the template, and with which values
/// (docs/match.md). The matcher is the core's (`TemplateMatcher`); this reads and prints.
enum MatchCommand: Command {
    static let name = "match"
    static let summary = "read SQL back through a template: match it and print the values (-: JSON lines)"
    static let help = """
    Usage: templatec match TEMPLATE [options] (--sql TEXT | --sql-file FILE | -)

    Decides whether SQL is an instance of the template and reads the value of every placeholder
    back, undoing its escaping. Whitespace, comments between tokens and the case of keywords do not
    matter; a different statement, anything after the template's statements, a literal of another
    kind or an escape whose meaning differs between engines does not match.

    A match prints {"matched": true, "vars": {…}} (names written unquoted in letters the dialect
    folds are listed in "folded"; values of holes sharing one token that split more than one way,
    in "ambiguous"). No match prints {"matched": false, "reason": "…", "line": L, "column": C},
    the first token that differs.

    Options:
      --sql TEXT           the SQL to match
      --sql-file FILE      the SQL to match, read from FILE
      -                    read JSON lines {"sql": "…"} (an "id" is echoed) from standard input
                           and answer each with one JSON line, as above
      --dialect D, --update K[,K], --level L[,L], --set KEY=VALUE, --config FILE
                           as for `templatec compile` (the nearest .templatec.json applies)
      -h, --help           show this help

    Exit status: 0 matched (with -: the input was read to its end), 1 no match, 2 usage error or a
    template that cannot be compiled (its diagnostics are printed).

    """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueOptions: ["dialect", "update", "level", "compat", "set", "config", "sql", "sql-file"],
                                 flagOptions: [])
        var positional = args.positional
        let fromStandardInput = positional.count == 2 && positional.last == "-"
        if fromStandardInput { positional.removeLast() }
        let inputs = (fromStandardInput ? 1 : 0) + (args.value("sql") == nil ? 0 : 1) + (args.value("sql-file") == nil ? 0 : 1)
        guard inputs == 1 else {
            throw UsageError(inputs == 0 ? "give the SQL: --sql TEXT, --sql-file FILE, or - for JSON lines on standard input"
                                         : "give the SQL one way: --sql, --sql-file or -")
        }
        guard let matcher = try loadMatcher(args, positional) else { return ExitStatus.usage }
        if fromStandardInput { return answerLines(MatchService(matcher)) }
        let sql: String
        if let text = args.value("sql") {
            sql = text
        } else {
            let path = args.value("sql-file")!
            do { sql = String(decoding: try FileSystem.read(path), as: UTF8.self) } catch { throw UsageError("\(path): cannot read the SQL file") }
        }
        let result = matcher.match(sql)
        var out: [UInt8] = []
        MatchService.write(result, id: nil, vars: matcher.variables, into: &out)
        out.append(0x0A)
        Output.stdout(String(decoding: out, as: UTF8.self))
        if case .success = result { return ExitStatus.ok }
        return ExitStatus.findings
    }

    /// The template's matcher, or nil after printing why there is none (exit 2).
    static func loadMatcher(_ args: Arguments, _ positional: [String]) throws -> TemplateMatcher? {
        let file = try TemplateFile.analyze(positional, command: name, flags: try CheckCommand.flagSettings(args), configPath: args.value("config"))
        guard let template = Compiler.compile(file.analysis) else {
            TemplateFile.printDiagnostics(file)
            Output.stderr("templatec match: the template has errors: fix them, then match\n")
            return nil
        }
        do {
            return try template.matcher()
        } catch {
            Output.stderr("templatec match: \(error.description)\n")
            return nil
        }
    }

    /// JSON lines in, one answer per line out. Reads in large blocks; a block of many lines is
    /// split at line ends and answered on every core, the answers written in input order (a log
    /// is read at the speed of the matchers, not of one core or of the system calls). What has
    /// been read is answered before waiting for more, so a client that writes one line and waits
    /// gets its answer.
    static func answerLines(_ service: MatchService) -> Int32 {
        let block = 1 << 20
        var pending: [UInt8] = []
        pending.reserveCapacity(2 * block)
        var chunk = [UInt8](repeating: 0, count: block)
        let workers = max(1, min(8, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        var outs = [[UInt8]](repeating: [], count: workers)
        var atEnd = false
        while !atEnd {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                atEnd = true
            } else {
                pending.append(contentsOf: chunk[0..<n])
                // Full blocks keep coming from a file: gather a few before answering.
                if n == block && pending.count < 4 * block { continue }
            }
            // Every complete line (and, at the end, the last one without a line end).
            let end = atEnd ? pending.count : (pending.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0)
            guard end > 0 else { continue }
            pending.withUnsafeBufferPointer { p in
                nonisolated(unsafe) let lines = UnsafeBufferPointer(rebasing: p[0..<end])
                let parts = split(lines, into: lines.count < 1 << 16 ? 1 : workers)
                nonisolated(unsafe) let results = UnsafeMutableBufferPointer<[UInt8]>.allocate(capacity: parts.count)
                results.initialize(repeating: [])
                defer { results.deinitialize(); results.deallocate() }
                let work: @Sendable (Int) -> Void = { k in
                    var out: [UInt8] = []
                    out.reserveCapacity(parts[k].count + parts[k].count / 2)
                    answerEach(UnsafeBufferPointer(rebasing: lines[parts[k]]), service, &out)
                    results[k] = out
                }
                if parts.count == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: parts.count, execute: work) }
                for k in 0..<parts.count {
                    outs[0] = results[k]
                    flush(&outs[0])
                }
            }
            pending.removeFirst(end)
        }
        return ExitStatus.ok
    }

    /// Splits text into about `count` ranges that end at line ends.
    static func split(_ text: UnsafeBufferPointer<UInt8>, into count: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for k in 1...count {
            guard start < text.count else { break }
            var end = k == count ? text.count : max(start, text.count * k / count)
            while end < text.count, text[end - 1] != 0x0A { end += 1 }
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }

    /// Answers every line of `text` (lines end with `\n`; the last may not).
    static func answerEach(_ text: UnsafeBufferPointer<UInt8>, _ service: MatchService, _ out: inout [UInt8]) {
        var workspace = MatchService.Workspace(for: service)
        var start = 0
        while start < text.count {
            let nl = memchr(text.baseAddress! + start, 0x0A, text.count - start)
                .map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - text.baseAddress! } ?? text.count
            var line = UnsafeBufferPointer(rebasing: text[start..<nl])
            if line.last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                service.respond(to: line, into: &out, workspace: &workspace)
                out.append(0x0A)
            }
            start = nl + 1
        }
    }

    static func flush(_ out: inout [UInt8]) {
        Output.flush()
        out.withUnsafeBufferPointer { p in
            var off = 0
            while off < p.count {
                let n = write(1, p.baseAddress! + off, p.count - off)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                off += n
            }
        }
        out.removeAll(keepingCapacity: true)
    }
}
