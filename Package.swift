// swift-tools-version:6.0
// templatec: a compiler and linter for reverse-metadata SQL templates.
// No package dependencies, by design: the toolchain, Foundation and the system's database clients only.
import PackageDescription

let package = Package(
    name: "templatec",
    products: [
        .library(name: "TemplateCompiler", targets: ["TemplateCompiler"]),
        .library(name: "TemplateWorkspace", targets: ["TemplateWorkspace"]),
        .library(name: "ReverseSync", targets: ["ReverseSync"]),
        .executable(name: "templatec", targets: ["templatec"]),
    ],
    targets: [
        // The compiler core: pure, no I/O, no Foundation.
        .target(name: "TemplateCompiler"),
        // The workspace: files, `.templatec.json`, and the one reader of pipeline and channel
        // documents with their embedded templates; what check, compile, render, sync (and a
        // language server) share.
        .target(name: "TemplateWorkspace", dependencies: ["TemplateCompiler"]),
        // The sync engine: planner, executors, runner, run records.
        .target(name: "ReverseSync", dependencies: ["TemplateWorkspace", "TemplateCompiler"]),
        // The command-line tool.
        .executableTarget(name: "templatec", dependencies: ["ReverseSync", "TemplateWorkspace", "TemplateCompiler"]),
        // Benchmarks: `swift run -c release templatec-bench`.
        .executableTarget(name: "templatec-bench", dependencies: ["ReverseSync", "TemplateCompiler"]),
        .testTarget(name: "TemplateCompilerTests", dependencies: ["TemplateCompiler"]),
        .testTarget(name: "TemplateWorkspaceTests", dependencies: ["TemplateWorkspace", "TemplateCompiler"]),
        .testTarget(name: "ReverseSyncTests", dependencies: ["ReverseSync", "TemplateWorkspace", "TemplateCompiler"]),
        // Runs the built `templatec` binary and real database servers.
        .testTarget(name: "EndToEndTests", dependencies: ["ReverseSync", "TemplateCompiler"]),
        // The language server's pure parts (framing, positions, the protocol state machine), in process.
        .testTarget(name: "LSPTests", dependencies: ["templatec", "TemplateCompiler"]),
    ]
)
