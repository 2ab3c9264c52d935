/// Codes about the inputs themselves rather than a template's text: reported by the command line
/// (`templatec check`) when a path cannot be read, in every output format.
public enum InputCodes {
    public static let all: [DiagnosticCode] = [.unreadableInput]
}

extension DiagnosticCode {
    public static let unreadableInput = DiagnosticCode(
        "IO001", "unreadable-input", .error,
        "A path given to `check` does not exist or cannot be read.",
        "A template that cannot be read cannot be checked, so `check` fails (exit 1) rather than report a clean run. The message names the path and the reason (no such file or folder, permission denied, not UTF-8 text …). Fix the path, or the file's permissions.",
        triggering: [], nonTriggering: [])
}
