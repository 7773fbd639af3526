// swift-tools-version:6.1
// Benchmarks live in their own package so the main build and test graph stays small. Each
// executable prints JSON lines; the Python drivers beside them run the peer in the same script.
import PackageDescription

let package = Package(
    name: "VaneBenchmarks",
    dependencies: [.package(name: "Vane", path: "..")],
    targets: [
        .executableTarget(name: "MatrixProductBenchmark",
                          dependencies: [.product(name: "VaneTensor", package: "Vane")]),
        .executableTarget(name: "GNNEpochBenchmark",
                          dependencies: [.product(name: "VaneRelated", package: "Vane"), .product(name: "VaneGraph", package: "Vane")]),
        .executableTarget(name: "TopKBenchmark",
                          dependencies: [.product(name: "VaneRelated", package: "Vane"), .product(name: "VaneGraph", package: "Vane"),
                                         .product(name: "VaneTensor", package: "Vane")]),
        .executableTarget(name: "ReplayBenchmark",
                          dependencies: [.product(name: "VaneConversions", package: "Vane"), .product(name: "VaneTensor", package: "Vane")]),
        .executableTarget(name: "ThresholdBenchmark",
                          dependencies: [.product(name: "VaneDecisions", package: "Vane"), .product(name: "VaneTensor", package: "Vane")]),
    ],
    swiftLanguageModes: [.v6]
)
