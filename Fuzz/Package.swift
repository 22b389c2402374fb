// swift-tools-version:6.0
// DistRun fuzz targets (libFuzzer), kept out of the root package so a normal build never needs
// the fuzzer runtime. Build and run with Fuzz/run.sh; see the header of that script.
import PackageDescription

let package = Package(
    name: "DistRunFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "DistRun", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // Frame decoder, message parsing and the agent's session machine on arbitrary bytes.
        .executableTarget(
            name: "FrameFuzzer",
            dependencies: [
                .product(name: "DistRunWire", package: "DistRun"),
                .product(name: "DistRunAgent", package: "DistRun"),
                .product(name: "NIOCore", package: "swift-nio"),
            ])
    ]
)
