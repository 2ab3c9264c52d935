/// Codes reported when a value cannot be rendered (validation and escaping refusals).
public enum RenderingCodes {
    public static let all: [DiagnosticCode] = []
}
