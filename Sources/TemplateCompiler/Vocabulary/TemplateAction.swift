/// Set/add or remove: each update has a form that writes a value and, where the target has one,
/// a form that takes it away (`COMMENT … IS NULL`, `UNSET TAG`).
public enum TemplateAction: String, CaseIterable, Sendable, Codable {
    case set
    case remove
}
