// swift-tools-version:6.1
// Fuzz targets for every loader and HTTP body decoder, in their own package so the main build never
// needs the sanitizers. Built by `make fuzz` with `-sanitize=fuzzer,address` (libFuzzer); the crashers
// it ever finds are kept in `crashers/<target>/` and replayed by the main test suite.
import PackageDescription

let package = Package(
    name: "VaneFuzz",
    dependencies: [.package(name: "Vane", path: "..")],
    targets: [
        .target(name: "FuzzTargets", dependencies: [
            .product(name: "VaneIO", package: "Vane"), .product(name: "VaneGraph", package: "Vane"),
            .product(name: "VaneTabular", package: "Vane"), .product(name: "VaneTensor", package: "Vane"),
            .product(name: "VaneLinear", package: "Vane"), .product(name: "VaneConversions", package: "Vane"),
            .product(name: "VaneDecisions", package: "Vane"), .product(name: "VaneRelated", package: "Vane"),
            .product(name: "VaneServing", package: "Vane"),
        ]),
        // libFuzzer provides `main`; the entry point is `LLVMFuzzerTestOneInput`.
        .executableTarget(name: "VaneFuzz", dependencies: ["FuzzTargets"]),
    ],
    swiftLanguageModes: [.v6]
)
