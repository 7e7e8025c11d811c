// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "gpnav",
    products: [
        .executable(name: "gpnav", targets: ["GPNavCLI"]),
        .library(name: "GPNav", targets: ["GPNav"]),
        .library(name: "MobileViT", targets: ["MobileViT"]),
        .library(name: "GaussianProcess", targets: ["GaussianProcess"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // LAPACKE and CBLAS from the system (Debian: liblapacke-dev, libopenblas-dev).
        .systemLibrary(
            name: "CLAPACK",
            path: "Sources/CLAPACK",
            providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]
        ),
        .target(name: "MobileViT"),
        .target(name: "GaussianProcess", dependencies: ["CLAPACK"]),
        .target(
            name: "GPNav",
            dependencies: [
                "MobileViT",
                "GaussianProcess",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The HTTP face of the Study API (`gpnav serve`) and its client (`gpnav worker`).
        .target(
            name: "GPNavServer",
            dependencies: [
                "GPNav",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "GPNavCLI",
            dependencies: [
                "GPNav",
                "GPNavServer",
                "MobileViT",
                "GaussianProcess",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/gpnav-cli"
        ),
        // Experiments (not part of the product): `swift run -c release NAME`.
        .executableTarget(name: "search-quality", dependencies: ["GPNav"], path: "Experiments/search-quality"),
        .executableTarget(name: "search-overhead", dependencies: ["GPNav"], path: "Experiments/search-overhead"),
        .executableTarget(name: "store-claims", dependencies: ["GPNav", "MobileViT"], path: "Experiments/store",
                          exclude: ["run.sh", "RESULTS.md"]),
        .executableTarget(name: "paper-spirit", dependencies: ["GPNav"], path: "Experiments/paper-spirit",
                          exclude: ["run.sh", "RESULTS.md", "output.md", "cube-grid.svg", "families.svg",
                                    "cube-grid.png", "families.png"]),
        .testTarget(name: "MobileViTTests", dependencies: ["MobileViT"], exclude: ["Fixtures"]),
        .testTarget(name: "GaussianProcessTests", dependencies: ["GaussianProcess"]),
        .testTarget(name: "GPNavTests", dependencies: ["GPNav", "MobileViT", "GaussianProcess"]),
        .testTarget(name: "GPNavCLITests", dependencies: ["GPNav", "MobileViT"]),
        .testTarget(name: "GPNavServerTests", dependencies: [
            "GPNavServer", "GPNav", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
    ]
)
