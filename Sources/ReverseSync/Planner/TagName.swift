/// A tag's FQN as (classification, tag name): `PII.Sensitive` → (`PII`, `Sensitive`). Nested
/// names are kept whole (`PII.Sensitive.Level1` → `PII`, `Sensitive.Level1`) and quoted parts are
/// unquoted (`"My.Class".Tag` → `My.Class`, `Tag`).
public struct TagName: Sendable, Equatable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    public static func parse(_ tagFQN: String) throws(FullyQualifiedName.ParseError) -> TagName {
        let parts = try FullyQualifiedName.split(tagFQN)
        guard parts.count >= 2 else {
            throw FullyQualifiedName.ParseError(message: "tag `\(tagFQN)` has no classification: expected `Classification.Tag`")
        }
        return TagName(key: parts[0], value: parts.dropFirst().joined(separator: "."))
    }
}
