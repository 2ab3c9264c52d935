import Foundation

/// The language server's speed (docs/performance.md, "Language server"): `templatec lsp` run as
/// an editor runs it, over pipes, timing from the `didChange` written to the `publishDiagnostics`
/// read. Goals: ≤ 5 ms for a typical template, ≤ 100 ms for a 1 MB JSON file of embedded
/// templates, and resident memory flat over 10,000 edits.
enum LSPBenchmark {
    static let template = "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};\n"

    /// A channel file of about `bytes` bytes, every channel with its own template.
    static func channelFile(bytes: Int) -> String {
        var channels: [String] = []
        var size = 0
        var i = 0
        while size < bytes {
            let c = "{\"name\": \"c\(i)\", \"filter\": {\"schema\": \"s\(i)*\", \"level\": \"table\"}, \"updateDescriptions\": true, \"updateOwners\": false, \"updateTags\": false, \"sqlTemplate\": \"-- templatec: dialect=postgres\\nCOMMENT ON TABLE {schema}.{table} IS {description}; -- 說明 \(i) 😀\"}"
            channels.append(c)
            size += c.utf8.count + 2
            i += 1
        }
        return "{\"channels\": [\n" + channels.joined(separator: ",\n") + "\n]}\n"
    }

    final class Client {
        let process = Process()
        let input = Pipe(), output = Pipe()
        var buffer = Data()

        init?(_ binary: URL) {
            process.executableURL = binary
            process.arguments = ["lsp"]
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { return nil }
        }

        func send(_ object: [String: Any]) { write(framed(object)) }

        func framed(_ object: [String: Any]) -> Data {
            guard let body = try? JSONSerialization.data(withJSONObject: object) else { return Data() }
            return Data("Content-Length: \(body.count)\r\n\r\n".utf8) + body
        }

        func write(_ data: Data) { input.fileHandleForWriting.write(data) }

        /// The next message, parsed.
        func receive() -> [String: Any]? {
            let separator = Data("\r\n\r\n".utf8)
            while true {
                if let r = buffer.range(of: separator) {
                    let head = String(decoding: buffer[buffer.startIndex..<r.lowerBound], as: UTF8.self)
                    let length = head.split(separator: "\r\n").compactMap { line -> Int? in
                        let parts = line.split(separator: ":", maxSplits: 1)
                        return parts.count == 2 && parts[0].lowercased() == "content-length" ? Int(parts[1].trimmingCharacters(in: .whitespaces)) : nil
                    }.first ?? 0
                    if buffer.count - (r.upperBound - buffer.startIndex) >= length {
                        let body = buffer[r.upperBound..<(r.upperBound + length)]
                        buffer = Data(buffer[(r.upperBound + length)...])
                        return (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
                    }
                }
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { return nil }
                buffer.append(chunk)
            }
        }

        func diagnostics() -> [String: Any]? {
            while let m = receive() {
                if m["method"] as? String == "textDocument/publishDiagnostics" { return m["params"] as? [String: Any] }
            }
            return nil
        }

        func open(_ uri: String, _ text: String) {
            send(["jsonrpc": "2.0", "method": "textDocument/didOpen",
                  "params": ["textDocument": ["uri": uri, "languageId": "sql", "version": 0, "text": text]]])
            _ = diagnostics()
        }

        /// From the change's first byte written to its diagnostics read (the message is encoded
        /// before: the client's own JSON encoding is not the server's time).
        func change(_ uri: String, version: Int, _ changes: [[String: Any]]) -> Double {
            let message = framed(["jsonrpc": "2.0", "method": "textDocument/didChange",
                                  "params": ["textDocument": ["uri": uri, "version": version], "contentChanges": changes]])
            let start = now()
            write(message)
            _ = diagnostics()
            return now() - start
        }

        /// Resident memory in KiB (Linux /proc).
        var residentKiB: Int {
            guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8) else { return 0 }
            let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }

        func stop() {
            send(["jsonrpc": "2.0", "id": 99, "method": "shutdown"])
            _ = receive()
            send(["jsonrpc": "2.0", "method": "exit"])
            process.waitUntilExit()
        }
    }

    static func run() -> [String] {
        var lines = ["== language server (templatec lsp over pipes)"]
        guard let binary = templatecBinary(), let client = Client(binary) else { return lines + ["cannot start templatec lsp"] }
        client.send(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": ["capabilities": [:] as [String: Any]]])
        _ = client.receive()
        client.send(["jsonrpc": "2.0", "method": "initialized", "params": [:] as [String: Any]])

        // A typical template: one character typed and removed at the end of the description line.
        let uri = "file:///bench/typical.sql"
        client.open(uri, template)
        var times: [Double] = []
        var version = 1
        func edit(_ k: Int) -> [[String: Any]] {
            let at: [String: Any] = ["line": 1, "character": 0]
            if k % 2 == 0 { return [["range": ["start": at, "end": at], "text": "x"]] }
            return [["range": ["start": at, "end": ["line": 1, "character": 1]], "text": ""]]
        }
        for k in 0..<1000 {
            times.append(client.change(uri, version: version, edit(k)))
            version += 1
        }
        let sorted = times.sorted()
        lines.append("didChange → publishDiagnostics, typical template: median \(format(median(times) * 1000)) ms, p95 \(format(sorted[sorted.count * 95 / 100] * 1000)) ms (goal ≤ 5 ms)")
        let rssAfter1k = client.residentKiB
        for k in 1000..<10_000 {
            _ = client.change(uri, version: version, edit(k))
            version += 1
        }
        let rssAfter10k = client.residentKiB
        lines.append("resident memory after 1,000 edits: \(rssAfter1k) KiB; after 10,000: \(rssAfter10k) KiB (goal: flat)")

        // A 1 MB channel file of embedded templates, changed whole (the worst case of an edit).
        let big = channelFile(bytes: 1 << 20)
        let bigURI = "file:///bench/channels.json"
        client.open(bigURI, big)
        var bigTimes: [Double] = []
        for k in 0..<9 {
            bigTimes.append(client.change(bigURI, version: k + 1, [["text": k % 2 == 0 ? big + " " : big]]))
        }
        let count = big.components(separatedBy: "sqlTemplate").count - 1
        lines.append("didChange → publishDiagnostics, 1 MB JSON with \(count) embedded templates: median \(format(median(bigTimes) * 1000)) ms (goal ≤ 100 ms)")
        client.stop()
        return lines
    }
}
