import TemplateCompiler

/// `textDocument/completion` inside `{`: the variables this template's update and level
/// provide at every level it serves (others would be diagnosed), replacing the name typed so far.
enum CompletionProvider {
    static func complete(_ doc: CheckedDocument, offset: Int) -> JSONDocument {
        let text = doc.document.text
        // Back over the name typed so far, to the `{` that opens it.
        var i = min(offset, text.count)
        while i > 0, isNameByte(text[i - 1]) { i -= 1 }
        guard i > 0, text[i - 1] == UInt8(ascii: "{") else { return .array([]) }
        // `{{` is a literal brace.
        if i > 1, text[i - 2] == UInt8(ascii: "{") { return .array([]) }
        guard let k = PlaceholderInfo.analysis(at: offset, in: doc) else { return .array([]) }
        let context = doc.checked.analyses[k].context
        let closed = offset < text.count && text[offset] == UInt8(ascii: "}")
        var items: [JSONDocument] = []
        for v in Variable.allCases where PlaceholderInfo.availability(v, context) == .everywhere {
            items.append(.obj([
                "label": .string(v.rawValue), "kind": .int(6), "detail": .string(HoverProvider.typeName(v.type)),
                "textEdit": .obj(["range": doc.range(i, offset), "newText": .string(v.rawValue + (closed ? "" : "}"))]),
            ]))
        }
        return .obj(["isIncomplete": .bool(false), "items": .array(items)])
    }

    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
    }
}
