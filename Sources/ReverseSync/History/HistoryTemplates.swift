import Foundation
import TemplateCompiler
import TemplateWorkspace

/// The templates in use, run backwards over executed statements: each channel's template (for
/// the descriptions and owners it pushes) before the connector's defaults (every description and
/// owner form, set and remove), in one `TemplateMatcherSet`. A statement that matches one gives
/// the entity from its name variables and the value from its description or owner variable (a
/// removal template gives ""), so `COMMENT ON TABLE s.t IS 'Synced: X'` through the template
/// `IS 'Synced: {description}'` is the description `X`.
struct HistoryTemplates {
    /// What a match of one template means.
    struct Meaning {
        let field: DatabaseChange.Field
        /// The variable that holds the value; nil for a removal (the value is "").
        let value: Variable?
    }

    let connector: Connector
    /// The session options every template was compiled with; a statement read under other
    /// options is matched by the templates compiled for those (`StatementHistorySource`).
    let options: DialectOptions
    let set: TemplateMatcherSet
    let meanings: [String: Meaning]
    /// The first word of every template (`ALTER`, `COMMENT`): a history may fetch only the
    /// statements holding one.
    let keywords: [String]

    static let fields: [(UpdateKind, DatabaseChange.Field, Variable)] = [(.description, .description, .description), (.owner, .owner, .owner)]

    init(connector: Connector, channels: [Channel]?, options: DialectOptions = .default) throws(HistoryError) {
        self.connector = connector
        self.options = options
        let library = TemplateLibrary(connector: connector, options: options)
        var templates: [(key: String, template: CompiledTemplate)] = []
        var meanings: [String: Meaning] = [:]
        var seen = Set<String>()
        func add(_ key: String, _ compiled: CompiledTemplate, _ meaning: Meaning) {
            // One text read one way is enough: the first (a channel's) wins.
            guard seen.insert("\(meaning.field)|\(compiled.sourceHash)").inserted else { return }
            templates.append((key, compiled))
            meanings[key] = meaning
        }
        for channel in channels ?? [] {
            guard let source = channel.sqlTemplateSource ?? channel.sqlTemplate.map({ TemplateSource(path: "channel \(channel.name)", $0) }) else { continue }
            for (update, field, variable) in Self.fields where channel.updatesServed.contains(update) {
                // The first level the template serves and compiles for: the level of a change comes
                // from the names the statement gives, not from the compilation.
                let levels = Level.allCases.filter { channel.levelsServed.contains($0) }
                guard let ready = levels.lazy.compactMap({ try? library.custom(source, label: "channel `\(channel.name)`", update, $0).get() }).first,
                      ready.variables.contains(variable) else { continue }
                add("channel \(channel.name) \(update.rawValue)", ready.compiled, Meaning(field: field, value: variable))
            }
        }
        for t in connector.defaults {
            guard let (_, field, variable) = Self.fields.first(where: { $0.0 == t.update }),
                  let ready = try? library.builtIn(t).get() else { continue }
            add("default \(t.update.rawValue) \(t.level.rawValue) \(t.action.rawValue)", ready.compiled,
                Meaning(field: field, value: t.action == .remove ? nil : variable))
        }
        guard !templates.isEmpty else {
            throw HistoryError("no template reads descriptions or owners for \(connector.displayName): a statement history has nothing to match")
        }
        do { set = try TemplateMatcherSet(templates) } catch {
            throw HistoryError("a template in use cannot be read back (\(error.description)): statement histories need templates `templatec match` can read")
        }
        self.meanings = meanings
        var words: [String] = []
        for t in templates {
            if let w = Self.firstWord(t.template), !words.contains(w) { words.append(w) }
        }
        // A template whose first word is unknown (it starts with a hole) could match anything.
        keywords = templates.allSatisfy({ Self.firstWord($0.template) != nil }) ? words : []
    }

    /// The first word of the template's text, skipping whitespace and comments (the directive).
    static func firstWord(_ template: CompiledTemplate) -> String? {
        guard case .text(let text)? = template.segments.first else { return nil }
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { i += 1; continue }
            if b == UInt8(ascii: "-"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "-") {
                while i < bytes.count, bytes[i] != 0x0A { i += 1 }
                continue
            }
            if b == UInt8(ascii: "/"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "*") {
                i += 2
                while i + 1 < bytes.count, !(bytes[i] == UInt8(ascii: "*") && bytes[i + 1] == UInt8(ascii: "/")) { i += 1 }
                i += 2
                continue
            }
            break
        }
        var j = i
        while j < bytes.count, (bytes[j] | 0x20) >= UInt8(ascii: "a"), (bytes[j] | 0x20) <= UInt8(ascii: "z") { j += 1 }
        return j > i ? String(decoding: bytes[i..<j], as: UTF8.self).uppercased() : nil
    }

    /// The changes one executed statement makes, or nil when no template matches it. A text of
    /// several statements (PostgreSQL records the client's whole query string) that matches no
    /// template as a whole is split with the dialect's lexer and each statement matched alone.
    func changes(in statement: ExecutedStatement, service: String) -> [DatabaseChange]? {
        if let change = change(statement.sql, statement, service: service) { return [change] }
        var text = statement.sql
        let pieces: [String] = text.withUTF8 { bytes in
            let lexed = Lexer.lexSQL(bytes, dialect: Dialect.named(connector.dialect, options: options))
            guard lexed.statements.count > 1 else { return [] }
            return lexed.statements.map {
                String(decoding: bytes[$0.span.start..<min($0.span.end, bytes.count)], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        let found = pieces.compactMap { change($0, statement, service: service) }
        return found.isEmpty ? nil : found
    }

    private func change(_ sql: String, _ statement: ExecutedStatement, service: String) -> DatabaseChange? {
        guard case .success(let hit) = set.match(sql), let meaning = meanings[hit.key],
              let entity = Self.entity(hit.match.values.values, connector.namespace, service: service, connectedDatabase: statement.database)
        else { return nil }
        let value = meaning.value.map { hit.match.values[$0] ?? "" } ?? ""
        return DatabaseChange(entity: entity, field: meaning.field, value: value,
                              evidence: .statement(sql: sql, executedAt: statement.executedAt, user: statement.user))
    }

    /// The catalog's names for a statement's name variables: `EntityNames.variables` run backwards.
    /// MySQL and ClickHouse put every database under the catalog's database `default` (the real
    /// database is the schema part); elsewhere a template that names no database (PostgreSQL's)
    /// acts in the database the session was connected to.
    static func entity(_ v: [Variable: String], _ mapping: NamespaceMapping, service: String, connectedDatabase: String?) -> EntityNames? {
        let table = v[.table], column = v[.column]
        if column != nil && table == nil { return nil }
        switch mapping {
        case .schemaIsDatabase:
            guard let database = v[.schema] ?? v[.database] else { return nil }
            return EntityNames(service: service, database: "default", schema: database, table: table, column: column,
                               level: column != nil ? .column : table != nil ? .table : .schema)
        case .databaseSchema, .projectDataset, .catalogSchema:
            guard let database = v[.database] ?? connectedDatabase else { return nil }
            let schema = v[.schema]
            if table != nil && schema == nil { return nil }
            return EntityNames(service: service, database: database, schema: schema, table: table, column: column,
                               level: column != nil ? .column : table != nil ? .table : schema != nil ? .schema : .database)
        }
    }
}
