// swift-tools-version:6.1
// Benchmarks live in their own package so the main build and test graph stays small. Each
// executable prints JSON lines; the Python drivers beside them run the peer in the same script.
import PackageDescription

let package = Package(
    name: "VaneBenchmarks",
    dependencies: [.package(name: "Vane", path: "..")],
    targets: [
        .target(name: "BenchmarkSupport"),
        .executableTarget(name: "MatrixProductBenchmark",
                          dependencies: ["BenchmarkSupport", .product(name: "VaneTensor", package: "Vane")]),
        .executableTarget(name: "GNNEpochBenchmark",
                          dependencies: ["BenchmarkSupport", .product(name: "VaneRelated", package: "Vane"), .product(name: "VaneGraph", package: "Vane")]),
        .executableTarget(name: "TopKBenchmark",
                          dependencies: ["BenchmarkSupport", .product(name: "VaneRelated", package: "Vane"), .product(name: "VaneGraph", package: "Vane"),
                                         .product(name: "VaneTensor", package: "Vane")]),
        .executableTarget(name: "CompactScanBenchmark",
                          dependencies: ["BenchmarkSupport", .product(name: "VaneRelated", package: "Vane"), .product(name: "VaneTensor", package: "Vane")]),
        .executableTarget(name: "ReplayBenchmark",
                          dependencies: ["BenchmarkSupport", .product(name: "VaneConversions", package: "Vane"), .product(name: "VaneTensor", package: "Vane")]),
        .executableTarget(name: "ThresholdBenchmark",
                          dependencies: ["BenchmarkSupport", .product(name: "VaneDecisions", package: "Vane"), .product(name: "VaneTensor", package: "Vane")]),
    ],
    swiftLanguageModes: [.v6]
)
