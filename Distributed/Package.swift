// swift-tools-version:6.1
// Vane beyond one machine, on Open MPI: in its own package so the main build (and every user of the
// libraries) never needs MPI. Needs Debian's libopenmpi-dev (headers, pkg-config "ompi-c") to build
// and openmpi-bin (mpirun) to run; `make test-distributed` builds and tests it under mpirun on loopback.
import PackageDescription

let package = Package(
    name: "VaneDistributed",
    products: [
        .library(name: "VaneMPI", targets: ["VaneMPI"]),
        .library(name: "VanePartition", targets: ["VanePartition"]),
        .executable(name: "vane-mpi", targets: ["vane-mpi"]),
    ],
    dependencies: [
        .package(name: "Vane", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Open MPI's C API; the shim turns its handle macros (casts of global addresses) into functions.
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
        // METIS 5 (Debian libmetis-dev; it ships no pkg-config file).
        .systemLibrary(name: "CMETIS", providers: [.apt(["libmetis-dev"])]),
        // Graph partitions for sharded work: METIS k-way or a seeded hash, their cost, files.
        .target(name: "VanePartition", dependencies: ["CMETIS", .product(name: "VaneErrors", package: "Vane"),
                                                      .product(name: "VaneGraph", package: "Vane"), .product(name: "VaneIO", package: "Vane")]),
        .target(name: "VaneMPI", dependencies: ["CMPI", "VanePartition", .product(name: "VaneErrors", package: "Vane"), .product(name: "VaneConversions", package: "Vane"),
                                                .product(name: "VaneLinear", package: "Vane"), .product(name: "VaneRelated", package: "Vane"),
                                                .product(name: "VaneGraph", package: "Vane"), .product(name: "VaneTensor", package: "Vane")]),
        .executableTarget(name: "vane-mpi", dependencies: [
            "VaneMPI", "VanePartition", .product(name: "VaneRelated", package: "Vane"), .product(name: "VaneGraph", package: "Vane"),
            .product(name: "VaneConversions", package: "Vane"), .product(name: "VaneMetrics", package: "Vane"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "VaneMPITests", dependencies: [
            "VaneMPI", .product(name: "VaneRelated", package: "Vane"), .product(name: "VaneConversions", package: "Vane"), .product(name: "VaneGraph", package: "Vane"),
            .product(name: "VaneTensor", package: "Vane"),
        ]),
        .testTarget(name: "VanePartitionTests", dependencies: [
            "VanePartition", .product(name: "VaneGraph", package: "Vane"), .product(name: "VaneIO", package: "Vane"),
            .product(name: "VaneTensor", package: "Vane"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
