// swift-tools-version:6.1
// Vane beyond one machine, on Open MPI: in its own package so the main build (and every user of the
// libraries) never needs MPI. Needs Debian's libopenmpi-dev (headers, pkg-config "ompi-c") to build
// and openmpi-bin (mpirun) to run; `make test-distributed` builds and tests it under mpirun on loopback.
import PackageDescription

let package = Package(
    name: "VaneDistributed",
    products: [
        .library(name: "VaneMPI", targets: ["VaneMPI"]),
        .executable(name: "vane-mpi", targets: ["vane-mpi"]),
    ],
    dependencies: [
        .package(name: "Vane", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Open MPI's C API; the shim turns its handle macros (casts of global addresses) into functions.
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
        .target(name: "VaneMPI", dependencies: ["CMPI", .product(name: "VaneErrors", package: "Vane"), .product(name: "VaneRelated", package: "Vane")]),
        .executableTarget(name: "vane-mpi", dependencies: [
            "VaneMPI", .product(name: "VaneRelated", package: "Vane"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "VaneMPITests", dependencies: [
            "VaneMPI", .product(name: "VaneRelated", package: "Vane"), .product(name: "VaneGraph", package: "Vane"),
            .product(name: "VaneTensor", package: "Vane"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
