/// A half-open range of byte offsets into a template's UTF-8 text.
///
/// Spans are bytes, not `Character`s: the lexer works on bytes and a span is turned into a
/// line and column (counting Unicode scalars) only when a diagnostic is shown.
public struct Span: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    @inlinable public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = end
    }

    @inlinable public var length: Int { end - start }
    @inlinable public var isEmpty: Bool { start == end }
    @inlinable public func contains(_ offset: Int) -> Bool { offset >= start && offset < end }
    @inlinable public func contains(_ other: Span) -> Bool { other.start >= start && other.end <= end }

    public static func < (a: Span, b: Span) -> Bool {
        a.start != b.start ? a.start < b.start : a.end < b.end
    }

    public var description: String { "\(start)..<\(end)" }
}

/// A 1-based line and column; the column counts Unicode scalar values, as the JSON output promises.
public struct SourceLocation: Hashable, Sendable, Comparable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        a.line != b.line ? a.line < b.line : a.column < b.column
    }
}
