// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "gpnav",
    products: [
        .executable(name: "gpnav", targets: ["GPNavCLI"]),
        .library(name: "GPNav", targets: ["GPNav"]),
        .library(name: "MobileViT", targets: ["MobileViT"]),
        .library(name: "GaussianProcess", targets: ["GaussianProcess"]),
    ],
    // The default build is the embedded search on SQLite: no TLS, no PostgreSQL client, no HTTP
    // stack, so a newcomer's first `swift run -c release gpnav search` compiles a fraction of the
    // code. `--traits Full` builds every part (CI builds and tests that).
    traits: [
        .trait(name: "PostgreSQL", description: "The PostgreSQL trial store (PostgresNIO, with its TLS stack)."),
        .trait(name: "Server", description: "`gpnav serve` and `gpnav worker`: the HTTP API and its client (Hummingbird, SwiftNIO)."),
        .trait(name: "Full", description: "Every part: PostgreSQL and Server.", enabledTraits: ["PostgreSQL", "Server"]),
        .default(enabledTraits: []),
    ],
    // Exact versions, so that everyone builds the code CI tested. Dependencies of dependencies
    // resolve within these packages' own ranges (Package.resolved stays out of git). To update:
    // raise a version here, `swift package update`, run `bash .ci/run`, commit the new numbers.
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        // The HTTP contract: Sources/GPNavServer/openapi.json generates the server interface and the
        // worker's client at build time (only GPNavServer uses the plugin, so the default build of
        // `gpnav` does not build the generator).
        .package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", exact: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", exact: "2.1.0"),
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
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgreSQL"])),
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
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
            ],
            // The document is served as written (`GET /openapi.json`).
            resources: [.embedInCode("openapi.json")],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .executableTarget(
            name: "GPNavCLI",
            dependencies: [
                "GPNav",
                .target(name: "GPNavServer", condition: .when(traits: ["Server"])),
                "MobileViT",
                "GaussianProcess",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/gpnav-cli"
        ),
        // Experiments (not part of the product): `swift run -c release NAME`.
        .target(name: "ExperimentSupport", dependencies: ["MobileViT"], path: "Experiments/support"),
        .executableTarget(name: "search-quality", dependencies: ["GPNav", "ExperimentSupport"], path: "Experiments/search-quality"),
        .executableTarget(name: "search-overhead", dependencies: ["GPNav"], path: "Experiments/search-overhead"),
        .executableTarget(name: "latency-model", dependencies: ["GPNav", "GaussianProcess", "MobileViT"], path: "Experiments/latency/model"),
        .executableTarget(name: "noise-coverage", dependencies: ["GPNav", "ExperimentSupport"], path: "Experiments/noise-coverage",
                          exclude: ["RESULTS.md"]),
        .executableTarget(name: "pruning-savings", dependencies: ["GPNav", "ExperimentSupport"], path: "Experiments/pruning-savings",
                          exclude: ["RESULTS.md"]),
        .executableTarget(name: "fidelity-simulator", dependencies: ["GPNav", "ExperimentSupport"], path: "Experiments/fidelity/simulator"),
        .executableTarget(name: "store-claims", dependencies: ["GPNav", "MobileViT"], path: "Experiments/store",
                          exclude: ["run.sh", "RESULTS.md"]),
        .executableTarget(name: "paper-spirit", dependencies: ["GPNav"], path: "Experiments/paper-spirit",
                          exclude: ["run.sh", "RESULTS.md", "output.md", "cube-grid.svg", "families.svg",
                                    "cube-grid.png", "families.png"]),
        // Tools for the repository itself: `swift run regenerate-openapi` writes openapi.json's
        // family-generated schemas from the registry.
        .executableTarget(name: "regenerate-openapi", dependencies: ["GPNavServer"], path: "Tools/regenerate-openapi"),
        .target(name: "TestScratch", path: "Tests/TestScratch"),
        .testTarget(name: "MobileViTTests", dependencies: ["MobileViT"], exclude: ["Fixtures"]),
        .testTarget(name: "GaussianProcessTests", dependencies: ["GaussianProcess"]),
        .testTarget(name: "GPNavTests", dependencies: ["GPNav", "MobileViT", "GaussianProcess", "TestScratch"]),
        .testTarget(name: "GPNavCLITests", dependencies: ["GPNav", "MobileViT", "TestScratch"]),
        .testTarget(name: "GPNavServerTests", dependencies: [
            "GPNavServer", "GPNav", "TestScratch", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
    ]
)
