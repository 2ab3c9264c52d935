/// A path `check` was given that does not exist: `TemplateInputs.expand` reports it as
/// "PATH: reason". Formats that have a place for the path (JSON, SARIF, GitHub) show the path
/// there and the reason as the IO001 message.
enum MissingInput {
    static func split(_ entry: String) -> (path: String, message: String) {
        let bytes = Array(entry.utf8)
        var k = bytes.count - 2
        while k >= 0 {
            if bytes[k] == UInt8(ascii: ":"), bytes[k + 1] == UInt8(ascii: " ") {
                return (String(decoding: bytes[..<k], as: UTF8.self), String(decoding: bytes[(k + 2)...], as: UTF8.self))
            }
            k -= 1
        }
        return (entry, "cannot be read")
    }
}
