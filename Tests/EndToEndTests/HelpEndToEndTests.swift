import XCTest
import TemplateCompiler

/// `--help` matches the binary: `templatec help CMD` is `CMD --help`, and the commands that take
/// `--set` list every key the settings accept.
final class HelpEndToEndTests: XCTestCase {
    func testHelpCommandPrintsTheCommandsHelp() throws {
        for command in ["check", "compile", "render", "sync", "explain"] {
            let viaHelp = try TemplatecBinary.run(["help", command])
            let viaFlag = try TemplatecBinary.run([command, "--help"])
            XCTAssertEqual(viaHelp.status, 0)
            XCTAssertEqual(viaHelp.stdout, viaFlag.stdout, "templatec help \(command)")
            XCTAssertTrue(viaHelp.stdout.hasPrefix("Usage: templatec \(command)"), viaHelp.stdout)
        }
        let unknown = try TemplatecBinary.run(["help", "chek"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("unknown command `chek`"), unknown.stderr)
    }

    func testSetKeysInHelpAreTheKeysTheSettingsAccept() throws {
        for command in ["check", "compile"] {
            let help = try TemplatecBinary.run([command, "--help"]).stdout
            for (key, _) in ContextSettings.keys where !["dialect", "update", "level"].contains(key) {
                XCTAssertTrue(help.contains(key + "="), "`\(command) --help` does not list --set \(key)")
            }
        }
    }
}
