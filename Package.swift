// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Vane",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vane", targets: ["vane"]),
        .library(name: "VaneErrors", targets: ["VaneErrors"]),
        .library(name: "VaneTensor", targets: ["VaneTensor"]),
        .library(name: "VaneMetrics", targets: ["VaneMetrics"]),
        .library(name: "VaneIO", targets: ["VaneIO"]),
        .library(name: "VaneCharts", targets: ["VaneCharts"]),
        .library(name: "VaneGraph", targets: ["VaneGraph"]),
        .library(name: "VaneTabular", targets: ["VaneTabular"]),
        .library(name: "VaneRelated", targets: ["VaneRelated"]),
        .library(name: "VaneLinear", targets: ["VaneLinear"]),
        .library(name: "VaneNeural", targets: ["VaneNeural"]),
        .library(name: "VaneDecisions", targets: ["VaneDecisions"]),
        .library(name: "VaneConversions", targets: ["VaneConversions"]),
        .library(name: "VanePipeline", targets: ["VanePipeline"]),
        .library(name: "VaneServing", targets: ["VaneServing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The HTTP server; its optional traits (swift-configuration, full Foundation) are not needed.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Already in the graph through Hummingbird; named for NIOCore's TimeAmount (server timeouts).
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
    ],
    targets: [
        // System libraries: OpenBLAS for GEMM, zlib for gzip input, glibc's malloc tuning.
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // Numeric kernels in C with a portable body and an AVX2 body chosen at run time.
        .target(name: "CVaneKernels"),

        // Numeric core and shared infrastructure.
        .target(name: "VaneErrors"),
        .target(name: "VaneTensor", dependencies: ["COpenBLAS", "CMalloc", "CVaneKernels", "VaneErrors"]),
        .target(name: "VaneMetrics"),
        .target(name: "VaneIO", dependencies: ["CZlib", "VaneErrors"]),
        .target(name: "VaneCharts"),
        .target(name: "VaneGraph", dependencies: ["VaneErrors", "VaneIO", "VaneTensor"]),
        .target(name: "VaneTabular", dependencies: ["VaneIO", "VaneTensor"]),
        .target(name: "VaneLinear", dependencies: ["VaneErrors", "VaneTensor"]),
        .target(name: "VaneNeural", dependencies: ["VaneErrors", "VaneTensor"]),

        // Techniques: each depends on the core modules, never on another technique.
        .target(name: "VaneRelated", dependencies: ["VaneErrors", "VaneIO", "VaneTensor", "VaneMetrics", "VaneGraph"]),
        .target(name: "VaneConversions", dependencies: ["VaneErrors", "VaneTensor", "VaneMetrics", "VaneLinear", "VaneNeural", "VaneTabular", "VaneIO"]),
        // The chain: the only library that wires the techniques together.
        .target(name: "VanePipeline", dependencies: ["VaneRelated", "VaneConversions", "VaneDecisions", "VaneGraph", "VaneCharts",
                                                    "VaneLinear", "VaneTabular", "VaneTensor", "VaneMetrics"]),
        .target(name: "VaneDecisions", dependencies: ["VaneErrors", "VaneIO", "VaneTensor", "VaneMetrics", "VaneLinear", "VaneNeural", "VaneTabular", "VaneCharts"]),

        // HTTP serving: routes, model store, metrics; tested in-process. Kept apart so the library
        // tests of the techniques never wait for the server's dependencies.
        .target(name: "VaneServing", dependencies: [
            "VaneErrors", "VaneRelated", "VaneConversions", "VaneDecisions", "VaneTabular", "VaneIO",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Thin command-line layer.
        .executableTarget(name: "vane", dependencies: [
            "VaneTensor", "VaneMetrics", "VaneGraph", "VaneTabular", "VaneRelated", "VaneLinear", "VaneDecisions", "VaneConversions", "VanePipeline",
            "VaneServing",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "VaneTensorTests", dependencies: ["VaneTensor"]),
        .testTarget(name: "VaneNeuralTests", dependencies: ["VaneNeural", "VaneTensor"]),
        .testTarget(name: "VaneMetricsTests", dependencies: ["VaneMetrics"]),
        .testTarget(name: "VaneIOTests", dependencies: ["VaneIO"]),
        .testTarget(name: "VaneGraphTests", dependencies: ["VaneGraph", "VaneTensor"]),
        .testTarget(name: "VaneTabularTests", dependencies: ["VaneTabular"]),
        .testTarget(name: "VaneLinearTests", dependencies: ["VaneLinear", "VaneTensor"]),
        .testTarget(name: "VaneChartsTests", dependencies: ["VaneCharts"]),
        // Test-only: a job of threads whose collectives meet in memory, for the sharded code's tests.
        .target(name: "VaneTestSupport", path: "Tests/VaneTestSupport"),
        .testTarget(name: "VaneConversionsTests", dependencies: ["VaneConversions", "VaneLinear", "VaneTensor", "VaneTabular", "VaneIO", "VaneTestSupport"]),
        .testTarget(name: "VanePipelineTests", dependencies: ["VanePipeline", "VaneRelated", "VaneDecisions", "VaneConversions"]),
        .testTarget(name: "VaneDecisionsTests", dependencies: ["VaneDecisions", "VaneLinear", "VaneNeural", "VaneTensor", "VaneTabular", "VaneIO", "VaneMetrics"]),
        .testTarget(name: "VaneServingTests", dependencies: [
            "VaneServing", "VaneRelated", "VaneConversions", "VaneDecisions", "VaneGraph", "VaneTensor", "VaneTabular", "VaneLinear",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Replays Fuzz/crashers through the fuzz package's targets (FuzzTarget.swift is linked in).
        .testTarget(name: "FuzzRegressionTests", dependencies: ["VaneIO", "VaneGraph", "VaneTabular", "VaneTensor", "VaneLinear",
                                                                "VaneConversions", "VaneDecisions", "VaneRelated", "VaneServing"]),
        .testTarget(name: "vaneTests", dependencies: ["vane", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "VaneRelatedTests", dependencies: ["VaneRelated", "VaneGraph", "VaneTensor", "VaneIO", "VaneTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
