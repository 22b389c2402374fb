// swift-tools-version:6.0
// DistRun: run one command on many machines and drive them from one dashboard.
// Module graph (dependencies point one way): see docs/architecture.md.
import PackageDescription

/// How a release `distrun` is linked on Linux. Most of a short run's memory is the pages of
/// code and tables it maps, not its data (docs/benchmarks.md, "Client memory"), so:
/// - the Swift runtime and FoundationEssentials linked in (-static-stdlib: no shared libraries
///   to relocate, only the objects used). A static FoundationEssentials needs the three
///   libraries below, which swiftc names only when the importing code was itself compiled
///   against the static runtime. The runtime then no longer finds swift-backtrace by itself: a
///   crash prints a backtrace with SWIFT_BACKTRACE=swift-backtrace=<toolchain>/usr/libexec/
///   swift/linux/swift-backtrace-static;
/// - lld with packed relative relocations (DT_RELR, glibc 2.36 or later): a relocation table
///   of a few KB instead of 1.7 MB, read at every start;
/// - --no-export-dynamic, undoing the -export-dynamic that -static-stdlib adds: nothing looks
///   `distrun`'s symbols up at run time (-static-executable links without it), and the
///   runtime's dladdr at start-up (looking for swift-backtrace) scanned all 27,000 of them
///   (2.4 MB of tables, 1.9 MB of them left resident).
/// Debug builds (the tests) link as usual.
let leanClientLinking: [LinkerSetting] = [
    .unsafeFlags(
        [
            "-static-stdlib", "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker",
            "--no-export-dynamic",
        ],
        .when(platforms: [.linux], configuration: .release)),
    .linkedLibrary("_FoundationCollections", .when(platforms: [.linux], configuration: .release)),
    .linkedLibrary("_FoundationCShims", .when(platforms: [.linux], configuration: .release)),
    .linkedLibrary("swiftSynchronization", .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "DistRun",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "distrund", targets: ["distrund"]),
        .executable(name: "distrun", targets: ["distrun"]),
        .executable(name: "distrun-tui", targets: ["distrun-tui"]),
        .library(name: "DistRunWire", targets: ["DistRunWire"]),
        .library(name: "DistRunAgent", targets: ["DistRunAgent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // Tiny C shim for what Swift cannot call directly (posix_spawn with setsid, pidfd).
        .target(name: "CDistRunSystem"),
        // The codec: tokens, frames, typed messages, limits, errors. No sockets, no processes.
        .target(name: "DistRunWire", dependencies: [.product(name: "NIOCore", package: "swift-nio")]),
        // Identities and trust: key pairs, self-signed certificates, fingerprints, authorized
        // clients and known agents, and the TLS configurations built from them.
        .target(
            name: "DistRunTrust",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // Socket settings agent and client share: keepalive so a silent peer is noticed.
        .target(
            name: "DistRunTransport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        // The agent: listener, per-client session, command runner, child reaper.
        .target(
            name: "DistRunAgent",
            dependencies: [
                "DistRunWire", "DistRunTrust", "DistRunTransport", "CDistRunSystem",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The connection manager: one connection per host, per-host state, events out.
        .target(
            name: "DistRunClient",
            dependencies: [
                "DistRunWire", "DistRunTrust", "DistRunTransport", "CDistRunSystem",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // What both front ends share: hosts.conf, per-host line assembly, the run's report. Pure, no I/O.
        .target(name: "DistRunSession", dependencies: ["DistRunClient"]),
        // The dashboard's model: each host's panel (terminal emulator, compact scrollback, search),
        // selection and tags, themes. Pure, no I/O; `distrun` does without it (and without libvterm).
        .target(name: "DistRunDashboardModel", dependencies: ["DistRunSession", "DistRunClient", "DistRunTerminal"]),
        // ncursesw, with a shim exporting the macros Swift cannot import.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),
        // libvterm, and a C wrapper that hides its macros, unions, bitfields and callbacks.
        .systemLibrary(name: "CVTerm", providers: [.apt(["libvterm-dev"])]),
        .target(name: "CDistRunTerminal", dependencies: ["CVTerm"], linkerSettings: [.linkedLibrary("vterm")]),
        // A thin terminal emulator: feed bytes, read cells and cursor, encode keys, resize.
        .target(name: "DistRunTerminal", dependencies: ["CDistRunTerminal"]),
        // The dashboard: canvas, layout, views, key map, frame loop. The only code importing curses.
        .target(
            name: "DistRunTUI",
            dependencies: [
                "DistRunSession", "DistRunDashboardModel", "DistRunClient", "DistRunAgent", "DistRunTerminal",
                "DistRunTrust", "DistRunTransport",
                "CNcursesw",
                "CDistRunSystem",
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The non-interactive front end: runs a job and prints prefixed lines and a summary.
        .target(
            name: "DistRunCLI", dependencies: ["DistRunSession", "DistRunClient", "DistRunTrust", "DistRunTransport"]),
        .executableTarget(
            name: "distrund",
            dependencies: [
                "DistRunAgent", "DistRunTrust", "DistRunTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "distrun",
            dependencies: [
                "DistRunCLI", "DistRunTrust", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: leanClientLinking),
        .executableTarget(
            name: "distrun-tui",
            dependencies: [
                "DistRunTUI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Codec throughput against memcpy; Benchmarks/codec.py runs it.
        .executableTarget(
            name: "distrun-codec-bench",
            dependencies: ["DistRunWire", .product(name: "NIOCore", package: "swift-nio")],
            path: "Benchmarks/CodecBenchmark"),
        .testTarget(
            name: "DistRunWireTests",
            dependencies: ["DistRunWire", "DistRunTestSupport", .product(name: "NIOEmbedded", package: "swift-nio")]),
        .testTarget(
            name: "DistRunAgentTests",
            dependencies: [
                "DistRunAgent", .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "DistRunClientTests",
            dependencies: [
                "DistRunClient", "DistRunAgent", "DistRunTestSupport", .product(name: "Logging", package: "swift-log"),
            ]),
        // Helpers the test targets share.
        .target(name: "DistRunTestSupport", path: "Tests/DistRunTestSupport"),
        .testTarget(name: "DistRunSessionTests", dependencies: ["DistRunSession", "DistRunTestSupport"]),
        .testTarget(
            name: "DistRunDashboardModelTests",
            dependencies: ["DistRunDashboardModel", "DistRunSession", "DistRunTestSupport"]),
        .testTarget(name: "DistRunCLITests", dependencies: ["DistRunCLI"]),
        .testTarget(name: "DistRunTUITests", dependencies: ["DistRunTUI"]),
        .testTarget(name: "DistRunTerminalTests", dependencies: ["DistRunTerminal", "DistRunTestSupport"]),
        .testTarget(name: "DistRunTrustTests", dependencies: ["DistRunTrust"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "DistRunWire", "CDistRunSystem", "DistRunTestSupport", .product(name: "NIOCore", package: "swift-nio"),
            ]),
    ]
)
