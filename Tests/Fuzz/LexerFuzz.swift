// libFuzzer target: the whole check pipeline (directive, lexer, parser, classifier, rules) on
// arbitrary bytes, for every dialect. Built by scripts/fuzz.sh together with the sources of
// Sources/TemplateCompiler (one module, so internals are visible); not part of the SwiftPM package.
//
// Beyond "no crash" (the sanitizers catch memory errors, traps and overflows), it checks the
// invariants the rest of templatec relies on; a broken one traps, which libFuzzer reports as a crash
// with the input saved.

@_cdecl("LLVMFuzzerTestOneInput")
public func lexerFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let source = TemplateSource(path: "fuzz.sql", text: bytes)
    for id in DialectID.allCases {
        let analysis = Analyzer.analyze(source, flags: ContextSettings(dialect: id))
        checkInvariants(analysis, bytes.count, id)
    }
    // Once without a dialect flag: the directive (if the input has one) picks it.
    checkInvariants(Analyzer.analyze(source), bytes.count, nil)
    return 0
}

func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("invariant broken: \(message())") }
}

func checkInvariants(_ a: Analysis, _ n: Int, _ id: DialectID?) {
    let t = a.template
    let d = "\(id?.rawValue ?? "directive")"
    // Tokens: in order, contiguous, covering the whole text.
    var cursor = 0
    for tok in t.tokens {
        require(tok.span.start == cursor, "\(d): token \(tok.kind) at \(tok.span) does not start at \(cursor)")
        require(tok.span.end > tok.span.start, "\(d): empty token \(tok.kind) at \(tok.span)")
        cursor = tok.span.end
    }
    require(cursor == n, "\(d): tokens end at \(cursor), text at \(n)")
    // Statements: in order, contiguous, within the text; token ranges in order.
    var byte = 0, token = 0
    for s in t.lexed.statements {
        require(s.span.start == byte && s.span.end >= s.span.start && s.span.end <= n, "\(d): statement span \(s.span) after \(byte)")
        require(s.tokens.lowerBound == token && s.tokens.upperBound <= t.tokens.count, "\(d): statement tokens \(s.tokens)")
        byte = s.span.end
        token = s.tokens.upperBound
    }
    require(byte == n || t.lexed.statements.isEmpty, "\(d): statements end at \(byte), text at \(n)")
    require(t.statements.count == t.lexed.statements.count, "\(d): parser dropped statements")
    for s in t.statements {
        require(s.span.start <= s.span.end && s.span.end <= n, "\(d): statement \(s.index) span \(s.span)")
        // The nodes cover the statement, SQL and placeholders in order.
        var at = t.lexed.statements[s.index].span.start
        for node in s.nodes {
            let span: Span
            switch node {
            case .sql(let sp): span = sp
            case .placeholder(let k): span = t.placeholders[k].span
            }
            require(span.start == at, "\(d): statement \(s.index) node at \(span) after \(at)")
            at = span.end
        }
        if let c = s.classification, let target = c.targetSpan {
            require(s.span.contains(target), "\(d): target \(target) outside statement \(s.span)")
        }
    }
    // Placeholders: in order, inside their statement, the name inside the braces.
    var last = -1
    for p in t.placeholders {
        require(p.span.start > last, "\(d): placeholders out of order at \(p.span)")
        last = p.span.start
        require(p.statement >= 0 && p.statement < t.lexed.statements.count, "\(d): placeholder statement \(p.statement)")
        require(t.lexed.statements[p.statement].span.contains(p.span), "\(d): placeholder \(p.span) outside its statement \(t.lexed.statements[p.statement].span)")
        require(p.span.contains(p.nameSpan) && p.nameSpan.start > p.span.start, "\(d): name \(p.nameSpan) outside \(p.span)")
    }
    // Diagnostics: within the text, sorted; fixes too. Locations computable.
    let locator = SourceLocator(t.source)
    var previous = 0
    for diag in a.diagnostics {
        require(diag.span.start >= 0 && diag.span.start <= diag.span.end && diag.span.end <= n, "\(d): \(diag.code) span \(diag.span) (text \(n))")
        require(diag.span.start >= previous, "\(d): diagnostics not sorted at \(diag.code)")
        previous = diag.span.start
        require(DiagnosticCatalog.code(diag.code) != nil, "\(d): unregistered code \(diag.code)")
        for f in diag.fixes {
            for e in f.edits { require(e.span.start >= 0 && e.span.start <= e.span.end && e.span.end <= n, "\(d): fix edit \(e.span)") }
        }
        let s = locator.location(diag.span.start), e = locator.location(diag.span.end)
        require(s.line >= 1 && s.column >= 1 && !(e < s), "\(d): location \(s) .. \(e)")
    }
}
