// swift-tools-version:6.0
// templatec: a compiler and linter for reverse-metadata SQL templates.
// No package dependencies, by design: the toolchain, Foundation and the system's database clients only.
import PackageDescription

let package = Package(
    name: "templatec",
    products: [
        .library(name: "TemplateCompiler", targets: ["TemplateCompiler"]),
        .library(name: "ReverseSync", targets: ["ReverseSync"]),
        .executable(name: "templatec", targets: ["templatec"]),
    ],
    targets: [
        // The compiler core: pure, no I/O, no Foundation.
        .target(name: "TemplateCompiler"),
        // The sync engine: pipeline documents, channels, planner, executors.
        .target(name: "ReverseSync", dependencies: ["TemplateCompiler"]),
        // The command-line tool.
        .executableTarget(name: "templatec", dependencies: ["ReverseSync", "TemplateCompiler"]),
        // Benchmarks: `swift run -c release templatec-bench`.
        .executableTarget(name: "templatec-bench", dependencies: ["ReverseSync", "TemplateCompiler"]),
        .testTarget(name: "TemplateCompilerTests", dependencies: ["TemplateCompiler"]),
        .testTarget(name: "ReverseSyncTests", dependencies: ["ReverseSync", "TemplateCompiler"]),
        // Runs the built `templatec` binary and real database servers.
        .testTarget(name: "EndToEndTests", dependencies: ["ReverseSync", "TemplateCompiler"]),
    ]
)
