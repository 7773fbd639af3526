// swift-tools-version:6.0
// Benchmarks live in their own package so the main build and test graph stays small.
import PackageDescription

let package = Package(
    name: "VaneBenchmarks",
    dependencies: [.package(name: "Vane", path: "..")],
    targets: [
        .executableTarget(name: "MatrixProductBenchmark",
                          dependencies: [.product(name: "VaneTensor", package: "Vane")]),
    ],
    swiftLanguageModes: [.v6]
)
