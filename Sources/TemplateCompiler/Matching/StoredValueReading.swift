/// Reading a value back from what the database stores, for the batch diff of
/// `sync --from-openmetadata`.
///
/// A template that writes `COMMENT ON TABLE … IS 'Synced from the catalog: {description}'` leaves
/// the database holding `Synced from the catalog: X`. To compare that with the catalog's `X`, read
/// the stored text back through the literal that holds the hole:
///
///     let stored = "Synced from the catalog: it's new"        // from pg_description, as stored
///     switch compiled.storedValue(of: .description, in: stored) {
///     case .success(let description): description            // "it's new"
///     case .failure(let m): m.reason                          // not written by this template
///     }
///
/// `stored` is the text as the engine keeps it (no quotes, no escapes). Other holes of the same
/// literal (`'{table}: {description}'`) are filled from `given` when it has them; the reading
/// fails when the text splits more than one way, so the diff never decides on a guess.
extension TemplateMatcher {
    public func storedValue(of variable: Variable, in stored: String, given known: RenderValues = RenderValues())
        -> Result<String, StoredValueMismatch> {
        for element in pattern.elements {
            let parts: [MatchPattern.Part]
            switch element {
            case .literal(let hole, _) where pattern.holes[hole].variable == variable:
                return .success(stored)
            case .stringContents(_, let p), .dollarContents(_, let p):
                parts = p
            default:
                continue
            }
            guard parts.contains(where: { if case .hole(let h) = $0 { return pattern.holes[h].variable == variable } else { return false } }) else {
                continue
            }
            return read(variable, from: Array(stored.utf8), parts: parts.map { part in
                guard case .hole(let h) = part, pattern.holes[h].variable != variable,
                      let value = known[pattern.holes[h].variable] else { return part }
                return .text(Array(value.utf8))
            })
        }
        return .failure(StoredValueMismatch(reason: "the template writes {\(variable.rawValue)} into no string literal, so no stored text holds it"))
    }

    func read(_ variable: Variable, from stored: [UInt8], parts: [MatchPattern.Part]) -> Result<String, StoredValueMismatch> {
        switch PartsMatching.split(stored, parts) {
        case .failure(let f):
            return .failure(StoredValueMismatch(reason: "the stored text was not written by this template: \(f.reason)"))
        case .success(let split):
            if split.ambiguous {
                let others = split.holes.map { pattern.holes[$0.hole].variable }.filter { $0 != variable }
                return .failure(StoredValueMismatch(reason: "the stored text splits more than one way between {\(variable.rawValue)} and \(others.map { "{\($0.rawValue)}" }.joined(separator: ", ")): give their values"))
            }
            var value: [UInt8]? = nil
            for (hole, range) in split.holes where pattern.holes[hole].variable == variable {
                let piece = Array(stored[range])
                if let v = value, v != piece {
                    return .failure(StoredValueMismatch(reason: "{\(variable.rawValue)} appears twice in the literal with two different texts"))
                }
                value = piece
            }
            return .success(String(decoding: value ?? [], as: UTF8.self))
        }
    }
}

/// Why stored text cannot be read back through a template.
public struct StoredValueMismatch: Error, Sendable, Hashable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}

extension CompiledTemplate {
    /// The value of `variable` in the text a database stores for the literal that holds it (see
    /// `TemplateMatcher.storedValue`).
    public func storedValue(of variable: Variable, in stored: String, given known: RenderValues = RenderValues())
        -> Result<String, StoredValueMismatch> {
        do {
            return try matcher().storedValue(of: variable, in: stored, given: known)
        } catch {
            return .failure(StoredValueMismatch(reason: error.description))
        }
    }
}
