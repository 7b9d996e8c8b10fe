// swift-tools-version: 6.2
// Kooperator: a plugin-based modular monolith. One section per layer; feature plugins are
// library targets under Plugins/ (runtime feature plugins, not SwiftPM package plugins).
import PackageDescription

/// The settings every target shares: explicit `any`, imports visible only where declared,
/// and imports internal unless a public API needs them.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// MARK: Feature plugins
// One line per feature (`feature(_:api:dependencies:testDependencies:)`, below): its library
// target under Plugins/<Name> and its test target Tests/<Name>Tests. The host and its tests
// depend on every feature listed here; the host's list of available plugins
// (Sources/Host/Features/AvailablePlugins.swift) names the plugin type.
let features: [[Target]] = [
    feature("Supervision", api: true),
    feature("Education", api: true),
    feature("ESFProject", api: true, dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
    feature("PartnershipAgreements", api: true),
]

/// The feature library targets, for the host (which links them all) and its tests.
let featureTargets: [Target.Dependency] = features.map { .target(name: $0[0].name) }

let package = Package(
    name: "kooperator",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kooperator", targets: ["KooperatorMain"]),
        // `make bench`'s host: the product's features plus the benchmark feature.
        .executable(name: "kooperator-bench", targets: ["BenchMain"]),
        .library(name: "PluginKit", targets: ["PluginKit"]),
        .library(name: "FeatureSupport", targets: ["FeatureSupport"]),
        .library(name: "PageKit", targets: ["PageKit"]),
        .library(name: "CSVKit", targets: ["CSVKit"]),
        .library(name: "DataAccess", targets: ["DataAccess"]),
        .library(name: "Registry", targets: ["Registry"]),
    ],
    dependencies: [
        // One trait per package: SwiftPM 6.3 orders several trait defines at random, which
        // re-plans and recompiles the package (FEASIBILITY.md §9).
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        // TLS for the SMTP client's STARTTLS (already in the graph through Hummingbird's packages).
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1", traits: ["EnableShrinking"]),
        // Contract-first API: each feature's openapi.yaml → its types and server protocol.
        .package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", exact: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", exact: "2.1.0"),
    ],
    targets: [
        // MARK: Data
        .systemLibrary(
            name: "CLibPQ",
            path: "Sources/CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .target(
            name: "DataAccess",
            dependencies: [
                "CLibPQ",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Kit
        // The contract between the host and its features, and nothing else.
        .target(
            name: "PluginKit",
            dependencies: [
                "DataAccess",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The features' toolbox: input checks, paging, query parameters, command output, daily jobs.
        .target(
            name: "FeatureSupport",
            dependencies: [
                "PluginKit",
                "DataAccess",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // CSV downloads and imports (not named `CSV`: a module named like its type breaks lookups).
        .target(
            name: "CSVKit",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            ],
            swiftSettings: swiftSettings
        ),
        // Server-rendered pages: Mustache templates, forms, lists, text catalogues, the page router.
        .target(
            name: "PageKit",
            dependencies: [
                "PluginKit",
                "FeatureSupport",
                "CSVKit",
                "DataAccess",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // The shared page partials and texts every feature's pages use.
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),

        // MARK: Registry (shared kernel: organisations, people, identity numbers)
        .target(
            name: "Registry",
            dependencies: [
                "PluginKit",
                "FeatureSupport",
                "PageKit",
                "CSVKit",
                "DataAccess",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ] + apiProducts(),
            // The registry's page templates and texts, and its API document (`openapi.yaml`, from
            // which the OpenAPIGenerator build plugin makes its types and server protocol).
            resources: [.copy("Resources"), .copy("openapi.yaml")],
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),

        // MARK: Host
        // Config, feature set, HTTP, CLI, lifecycle: everything of the executable but its `main`,
        // so the product and the benchmark's host start the same code with their own feature lists.
        .target(
            name: "Host",
            dependencies: [
                "DataAccess",
                "PluginKit",
                "FeatureSupport",
                "PageKit",
                "CSVKit",
                "Registry",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Yams", package: "Yams"),
            ] + featureTargets + apiProducts(),
            // The layout, sign-in, start and error pages, their texts and the style sheet; the
            // host's own API document (health, audit log).
            resources: [.copy("Resources"), .copy("openapi.yaml")],
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),

        // The `kooperator` executable: the host with the product's features (AvailablePlugins).
        .executableTarget(
            name: "KooperatorMain",
            dependencies: ["Host"],
            swiftSettings: swiftSettings
        ),

        // MARK: Feature plugins
        // Declared above the package in `features`, plus one line in the host's list.

        // MARK: Benchmarks
        // The routes behind `make bench`; linked only into `kooperator-bench`, never into the product.
        .target(
            name: "BenchPlugin",
            dependencies: [
                "PluginKit",
                "FeatureSupport",
                "DataAccess",
                "Registry",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/BenchPlugin",
            swiftSettings: swiftSettings
        ),
        // `kooperator-bench`: the host started with the product's features and the benchmark's.
        .executableTarget(
            name: "BenchMain",
            dependencies: ["Host", "BenchPlugin"],
            path: "Benchmarks/BenchMain",
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .target(
            name: "TestSupport",
            dependencies: ["DataAccess", .product(name: "PropertyBased", package: "swift-property-based")],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        // The host fixture the HTTP and page tests share (Host's, the registry's and each
        // feature's): hosts on fresh test databases, a browser that signs in and posts forms,
        // the role × route walk, and small test features.
        .target(
            name: "HostTestSupport",
            dependencies: [
                "Host", "PluginKit", "FeatureSupport", "PageKit", "DataAccess", "Registry", "ESFProject", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/HostTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DataAccessTests",
            dependencies: ["DataAccess", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PluginKitTests",
            dependencies: [
                "PluginKit", "DataAccess", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FeatureSupportTests",
            dependencies: [
                "FeatureSupport", "PluginKit", "DataAccess", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CSVKitTests",
            dependencies: ["CSVKit", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PageKitTests",
            dependencies: ["PageKit", "PluginKit", "FeatureSupport", "CSVKit", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RegistryTests",
            dependencies: [
                // Host for the kernel schema (`@testable import Host`), which the host owns.
                "Registry", "Host", "PluginKit", "FeatureSupport", "PageKit", "CSVKit", "DataAccess", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HostTests",
            dependencies: [
                "Host", "PluginKit", "FeatureSupport", "PageKit", "CSVKit", "DataAccess", "Registry", "TestSupport", "HostTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // The mail tests' SMTP server on loopback (MailTestServer).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ] + featureTargets,
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ArchitectureTests",
            swiftSettings: swiftSettings
        ),
    ] + features.flatMap { $0 }
)

/// Declares a feature plugin: a library target under `Plugins/<name>` that may import only
/// the kernel (PluginKit and its toolkits FeatureSupport, PageKit and CSVKit, DataAccess,
/// Registry) and third-party packages, with its page
/// templates and texts in `Plugins/<name>/Resources`. A feature with `api: true` keeps its HTTP
/// API in `Plugins/<name>/openapi.yaml`: the OpenAPIGenerator build plugin makes its types and
/// server protocol, and the document ships with it for `/openapi.json`.
func feature(_ name: String, api: Bool = false, dependencies: [Target.Dependency] = [], testDependencies: [Target.Dependency] = []) -> [Target] {
    [
        .target(
            name: name,
            dependencies: kernelTargets() + featureProducts() + (api ? apiProducts() : []) + dependencies,
            path: "Plugins/\(name)",
            // The feature's page templates and texts (Resources/Templates, Resources/strings.json),
            // and its API document.
            resources: [.copy("Resources")] + (api ? [.copy("openapi.yaml")] : []),
            swiftSettings: swiftSettings,
            plugins: api ? [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")] : []
        ),
        .testTarget(
            name: "\(name)Tests",
            // Host and its test fixture for the kernel schema and the HTTP and page tests (`@testable import Host`).
            dependencies: [.target(name: name), "Host", "TestSupport", "HostTestSupport"] + kernelTargets() + featureProducts()
                + [
                    .product(name: "PropertyBased", package: "swift-property-based"),
                    .product(name: "HummingbirdTesting", package: "hummingbird"),
                ] + testDependencies,
            swiftSettings: swiftSettings
        ),
    ]
}

/// The kernel targets a feature may import: the contract, its toolkits, the data access and the registry.
func kernelTargets() -> [Target.Dependency] {
    ["PluginKit", "FeatureSupport", "PageKit", "CSVKit", "DataAccess", "Registry"]
}

/// What the code generated from an API document needs: the OpenAPI runtime and its Hummingbird transport.
func apiProducts() -> [Target.Dependency] {
    [
        .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
        .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
    ]
}

/// The third-party products every feature uses: routes, commands, logs and services.
func featureProducts() -> [Target.Dependency] {
    [
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ]
}
