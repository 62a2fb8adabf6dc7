// swift-tools-version:6.0
import PackageDescription

/// Settings shared by every Swift target: Swift 6 language mode and the
/// upcoming features the project opts into once, here.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "fairway",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fairwayd", targets: ["fairwayd"]),
        .executable(name: "fairwayctl", targets: ["fairwayctl"]),
        .executable(name: "fairway-bench", targets: ["fairway-bench"]),
    ],
    targets: [
        // System libraries and the C shim.
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CSystemd", path: "Sources/CSystemd", pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]),
        .target(name: "CFairwayShim", path: "Sources/CFairwayShim"),
        // Checked system calls: errors with errno and the call's name, owned
        // descriptors, Unix socket addresses, epoll, eventfd, signalfd, the
        // monotonic clock.
        .target(name: "FairwayPOSIX", dependencies: ["CFairwayShim"], swiftSettings: swiftSettings),

        // Pure domain and scheduler: no I/O, no clock reads.
        .target(name: "FairwayCore", swiftSettings: swiftSettings),
        // Scenario replays on the core with a virtual clock: traces, policies' reports. Pure.
        .target(name: "FairwaySimulation", dependencies: ["FairwayCore"], swiftSettings: swiftSettings),
        // Wire types: JSON, framing, RFC 3339 times, request decoding.
        .target(name: "FairwayProtocol", dependencies: ["FairwayCore"], swiftSettings: swiftSettings),
        // SQLite persistence.
        .target(name: "FairwayStore", dependencies: ["FairwayCore", "FairwayPOSIX", "CSQLite", "CFairwayShim"], swiftSettings: swiftSettings),
        // sd_notify, journald, socket activation.
        .target(name: "FairwaySystemd", dependencies: ["CSystemd", "CFairwayShim", "FairwayPOSIX"], swiftSettings: swiftSettings),
        // The daemon's machinery: config loading, socket server, state owner.
        .target(
            name: "FairwayDaemon",
            dependencies: ["FairwayCore", "FairwayProtocol", "FairwayStore", "FairwaySystemd", "FairwayPOSIX", "CFairwayShim"],
            swiftSettings: swiftSettings),
        // The client's machinery: argument parsing, CSV, tables.
        .target(
            name: "FairwayClient", dependencies: ["FairwayProtocol", "FairwaySimulation", "FairwayPOSIX", "CFairwayShim"],
            swiftSettings: swiftSettings),

        .executableTarget(name: "fairwayd", dependencies: ["FairwayDaemon"], swiftSettings: swiftSettings),
        .executableTarget(name: "fairwayctl", dependencies: ["FairwayClient"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "fairway-bench",
            dependencies: [
                "FairwayCore", "FairwayProtocol", "FairwayClient", "FairwayPOSIX", "FairwayTestSupport", "FairwaySimulation", "FairwayStore",
            ],
            path: "Benchmarks/fairway-bench", swiftSettings: swiftSettings),

        // The test kit: child processes, temporary directories, the real
        // fairwayd on a temporary config, a socket client on the real
        // ClientConnection, journald and NOTIFY_SOCKET fixtures. Used by the
        // test targets and the bench; no Testing, so an executable can link it.
        .target(
            name: "FairwayTestSupport", dependencies: ["FairwayPOSIX", "FairwayProtocol", "FairwayClient"],
            path: "Tests/FairwayTestSupport", swiftSettings: swiftSettings),

        .testTarget(name: "FairwayCoreTests", dependencies: ["FairwayCore"], swiftSettings: swiftSettings),
        .testTarget(name: "FairwaySimulationTests", dependencies: ["FairwaySimulation", "FairwayCore"], swiftSettings: swiftSettings),
        .testTarget(name: "FairwayProtocolTests", dependencies: ["FairwayProtocol", "FairwayCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "FairwayStoreTests", dependencies: ["FairwayStore", "FairwayCore", "FairwayTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(name: "FairwayPOSIXTests", dependencies: ["FairwayPOSIX"], swiftSettings: swiftSettings),
        .testTarget(
            name: "FairwayDaemonTests", dependencies: ["FairwayDaemon", "FairwayCore", "FairwayProtocol", "FairwayPOSIX"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "FairwaySystemdTests", dependencies: ["FairwaySystemd", "FairwayPOSIX", "FairwayTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "FairwayClientTests", dependencies: ["FairwayClient", "FairwayPOSIX", "FairwayTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["FairwayProtocol", "FairwayClient", "FairwayPOSIX", "FairwaySimulation", "FairwayCore", "FairwayTestSupport"],
            swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
