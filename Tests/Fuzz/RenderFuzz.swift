// libFuzzer entry for the renderer. Build (with Sources/TemplateCompiler/**/*.swift):
//   swiftc -sanitize=fuzzer,address -parse-as-library Tests/Fuzz/RenderFuzz.swift $(find Sources/TemplateCompiler -name '*.swift') -o render-fuzz
// The fuzz bytes become a value (and a tag); each template of several dialects and contexts renders
// it, and the rendered SQL, lexed again, must hold the value as one token with the same statement
// count. A refusal (RenderError) is a valid outcome; anything else traps.
// The matcher's contract too: the rendered SQL matches back with exactly the values rendered
// (the fast path and the general path agreeing), and the fuzz bytes read as SQL give both paths
// the same answer.

private let fuzzTemplates: [(DialectID, String, Variable)] = [
    (.postgres, "COMMENT ON TABLE {schema}.{table} IS {description};", .description),
    (.postgres, "COMMENT ON TABLE \"{table}\" IS E'{description}';", .table),
    (.postgres, "COMMENT ON TABLE t IS $c${description}$c$;", .description),
    (.mysql, "ALTER TABLE {table} COMMENT = '{description}';", .description),
    (.mysql, "ALTER TABLE `{table}` COMMENT = {description};", .table),
    (.bigquery, "ALTER TABLE `{table}` SET OPTIONS (description = \"{description}\");", .description),
    (.bigquery, "ALTER TABLE {table} SET OPTIONS (description = '''{description}''');", .table),
    // One backtick-quoted path of three holes: the project may hold dots, the dataset and table
    // may not, so the reading is one (PartsMatching's constrained split).
    (.bigquery, "ALTER TABLE `{database}.{schema}.{table}` SET OPTIONS (description = 'd');", .database),
    (.mssql, "EXEC sp_addextendedproperty @name = N'MS_Description', @value = {description};", .description),
    (.mssql, "ALTER AUTHORIZATION ON OBJECT::[{table}] TO {owner};", .table),
    (.snowflake, "COMMENT ON TABLE {table} IS {description};", .description),
    (.clickhouse, "ALTER TABLE \"{table}\" MODIFY COMMENT {description};", .table),
    (.databricks, "COMMENT ON TABLE {table} IS \"{description}\";", .description),
    (.athena, "ALTER TABLE {table} SET TBLPROPERTIES ('comment' = {description});", .description),
    (.oracle, "COMMENT ON TABLE \"{table}\" IS {description};", .table),
    (.trino, "COMMENT ON TABLE stg_{table} IS {description};", .table),
]

private let compiledFuzzTemplates: [(CompiledTemplate, Dialect, Variable)] = fuzzTemplates.map { id, text, v in
    var flags = ContextSettings(dialect: id, updates: [.description, .owner], levels: [.table])
    flags.dialect = id
    // Statement-level lint rules (fixed object names, levels) do not bear on escaping: only the
    // foundation rules decide whether a template compiles here.
    let analysis = Analyzer.analyze(TemplateSource("-- templatec: dialect=\(id.rawValue)\n" + text), flags: flags, rules: RuleSet.placeholderRules)
    guard let t = Compiler.compile(analysis) else {
        fatalError("fuzz template does not compile: \(text)")
    }
    return (t, Dialect.named(id), v)
}

private func significantTokens(_ sql: String, _ dialect: Dialect) -> (tokens: Int, statements: Int) {
    var bytes: [UInt8] = []
    for b in sql.utf8 {
        bytes.append(b)
        if b == UInt8(ascii: "{") || b == UInt8(ascii: "}") { bytes.append(b) }
    }
    let lexed = Lexer.lex(bytes, dialect: dialect)
    precondition(!lexed.diagnostics.contains { $0.code.hasPrefix("LEX") }, "rendered SQL has a lexical error: \(sql)")
    return (lexed.tokens.filter { !$0.kind.isTrivia }.count, lexed.statements.count)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func renderFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let value = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for (template, dialect, variable) in compiledFuzzTemplates {
        var benign = RenderValues([.database: "p", .schema: "s", .table: "t", .description: "d", .owner: "o"])
        let reference = try! template.render(benign)
        benign[variable] = value
        benign.tags = [(value, value)]
        guard let sql = try? template.render(benign) else { continue }
        let a = significantTokens(reference, dialect), b = significantTokens(sql, dialect)
        precondition(a == b, "the value changed the statement structure: \(sql.debugDescription)")
        checkMatch(template, sql, benign)
    }
    for (template, _, _) in compiledFuzzTemplates.prefix(4) {
        samePaths(template, value)
    }
    return 0
}

private let generalMatchers: [TemplateMatcher] = compiledFuzzTemplates.map { try! TemplateMatcher($0.0, fastPath: false) }

/// match(render(values)) == values, on both paths.
private func checkMatch(_ template: CompiledTemplate, _ sql: String, _ values: RenderValues) {
    guard case .success(let m) = template.match(sql) else {
        preconditionFailure("rendered SQL does not match its template: \(sql.debugDescription)")
    }
    var expected: [Variable: String] = [:]
    for v in template.variables where v != .tags { expected[v] = values[v] }
    precondition(m.values.values == expected, "match(render(values)) != values: \(sql.debugDescription) gave \(m.values.values)")
    precondition(m.isExact, "a rendered statement matched inexactly: \(sql.debugDescription)")
    samePaths(template, sql)
}

/// The fast path answers as the general path does.
private func samePaths(_ template: CompiledTemplate, _ sql: String) {
    guard let index = compiledFuzzTemplates.firstIndex(where: { $0.0 == template }) else { return }
    let general = generalMatchers[index].match(sql), fast = template.match(sql)
    precondition(general == fast, "the matcher's paths differ on \(sql.debugDescription): \(general) vs \(fast)")
}
