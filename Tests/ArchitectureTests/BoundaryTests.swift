import Foundation
import Testing

/// Reads the source tree and fails when a boundary of DESIGN.md is crossed.
@Suite("Architecture boundaries")
struct BoundaryTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// Every Swift file under a top-level folder, as (path relative to the root, text).
    static func sources(under folder: String) -> [(path: String, text: String)] {
        let base = root.appendingPathComponent(folder)
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var files: [(String, String)] = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let relative = String(url.path.dropFirst(root.path.count + 1))
            files.append((relative, (try? String(contentsOf: url, encoding: .utf8)) ?? ""))
        }
        return files
    }

    /// The modules a file imports, whatever the access level or attribute.
    static func imports(in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ").map(String.init)
            guard let index = words.firstIndex(of: "import"), index + 1 < words.count else { return nil }
            let before = words[..<index]
            guard
                before.allSatisfy({
                    ["public", "internal", "package", "private", "fileprivate", "@testable", "@_implementationOnly", "@preconcurrency"].contains($0)
                })
            else { return nil }
            var module = words[index + 1]
            if ["struct", "class", "enum", "protocol", "func", "var", "typealias"].contains(module), index + 2 < words.count {
                module = words[index + 2]
            }
            return String(module.split(separator: ".").first ?? "")
        }
    }

    static var featureNames: [String] {
        let plugins = root.appendingPathComponent("Plugins")
        let entries = (try? FileManager.default.contentsOfDirectory(at: plugins, includingPropertiesForKeys: [.isDirectoryKey])) ?? []
        return entries.filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }.map(\.lastPathComponent)
    }

    @Test("the import scanner sees every form of import")
    func scannerWorks() {
        let text = "import A\npublic import B\n@testable import C\ninternal import struct D.Thing\n// import E\nlet x = 1"
        #expect(Self.imports(in: text) == ["A", "B", "C", "D"])
    }

    @Test("no feature imports another feature or the host")
    func featuresStayApart() {
        let features = Self.featureNames
        var violations: [String] = []
        for feature in features {
            for file in Self.sources(under: "Plugins/\(feature)") {
                for module in Self.imports(in: file.text) where module == "Host" || (features.contains(module) && module != feature) {
                    violations.append("\(file.path) imports \(module)")
                }
            }
        }
        #expect(violations.isEmpty, "features talk through events, never imports: \(violations)")
    }

    @Test("no feature's SQL reads the kernel's schema: the users a record names come through the host's staff directory")
    func featuresLeaveTheKernelAlone() {
        var violations: [String] = []
        for feature in Self.featureNames {
            for file in Self.sources(under: "Plugins/\(feature)") {
                for (number, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    // SQL comments in a migration may name the table the column points at.
                    let code = line.split(separator: "--", maxSplits: 1).first.map(String.init) ?? ""
                    if code.trimmingCharacters(in: .whitespaces).hasPrefix("//") { continue }
                    if code.contains("kernel.") && !code.contains("context.kernel") { violations.append("\(file.path):\(number + 1)") }
                }
            }
        }
        #expect(violations.isEmpty, "only `registry` is read across schemas (DESIGN.md): \(violations)")
    }

    @Test("the kernel's layers import only downward: DataAccess ← PluginKit ← FeatureSupport ← PageKit ← Registry ← Host; CSVKit stands alone")
    func kernelLayers() {
        let forbidden: [String: Set<String>] = [
            "DataAccess": ["PluginKit", "FeatureSupport", "PageKit", "CSVKit", "Registry", "Host"],
            "PluginKit": ["FeatureSupport", "PageKit", "CSVKit", "Registry", "Host"],
            "FeatureSupport": ["PageKit", "CSVKit", "Registry", "Host"],
            "CSVKit": ["DataAccess", "PluginKit", "FeatureSupport", "PageKit", "Registry", "Host"],
            "PageKit": ["Registry", "Host"],
            "Registry": ["Host"],
        ]
        var violations: [String] = []
        for (layer, above) in forbidden {
            for file in Self.sources(under: "Sources/\(layer)") {
                for module in Self.imports(in: file.text) where above.contains(module) {
                    violations.append("\(file.path) imports \(module)")
                }
            }
        }
        #expect(violations.isEmpty, "\(violations)")
    }

    /// The API's routes are generated from each `openapi.yaml` and registered behind the host's
    /// permission check (`x-kooperator-permission`); a page is added through PageKit's
    /// `PageRouter.get(_:requiring:use:)` or `post(_:requiring:use:)`, which name the permission.
    @Test("registry and feature pages are added only through PageRouter's permission-checking `get`/`post(_:requiring:use:)`")
    func everyRouteChecksAPermission() {
        var violations: [String] = []
        let unchecked = /\b(group|router|routes)\.(get|post|put|patch|delete|on)\(/
        for file in Self.sources(under: "Sources/Registry") + Self.sources(under: "Plugins") {
            for (number, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains(unchecked) && !line.contains("requiring:") {
                violations.append("\(file.path):\(number + 1)")
            }
        }
        #expect(violations.isEmpty, "routes without a permission: \(violations)")
    }

    @Test("PluginKit stays the contract: under 1 500 lines of Swift and 150 public declarations")
    func pluginKitStaysSmall() {
        let files = Self.sources(under: "Sources/PluginKit")
        let lines = files.reduce(0) { $0 + $1.text.split(separator: "\n", omittingEmptySubsequences: false).count - 1 }
        let declarations = files.reduce(0) { count, file in
            count
                + file.text.split(separator: "\n").filter { line in
                    let words = line.split(separator: " ")
                    return (words.first == "public" || words.first == "open") && words.dropFirst().first != "import"
                }.count
        }
        #expect(lines < 1_500, "PluginKit has \(lines) lines; move toolbox code to FeatureSupport, PageKit or CSVKit")
        #expect(declarations < 150, "PluginKit has \(declarations) public declarations; keep the contract small")
    }

    @Test("the benchmark's feature is not in the product: only Benchmarks/ imports BenchPlugin, and no product target depends on it")
    func benchmarkStaysOut() throws {
        var violations: [String] = []
        for folder in ["Sources", "Plugins", "Tests"] {
            for file in Self.sources(under: folder) where Self.imports(in: file.text).contains("BenchPlugin") {
                violations.append("\(file.path) imports BenchPlugin")
            }
        }
        #expect(violations.isEmpty, "\(violations)")
        // Only the bench's own executable target names it as a dependency.
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let dependents = manifest.components(separatedBy: "\n        .").filter {
            $0.contains("\"BenchPlugin\"") && !$0.contains("name: \"BenchPlugin\"")
        }
        #expect(dependents.count == 1 && dependents[0].contains("name: \"BenchMain\""), "targets depending on BenchPlugin: \(dependents)")
        #expect(manifest.contains(#".executable(name: "kooperator", targets: ["KooperatorMain"])"#))
    }

    @Test("only DataAccess imports CLibPQ, and only internally")
    func libpqStaysBehindOneDoor() {
        var violations: [String] = []
        for folder in ["Sources", "Plugins", "Benchmarks", "Tests"] {
            for file in Self.sources(under: folder) where Self.imports(in: file.text).contains("CLibPQ") {
                if !file.path.hasPrefix("Sources/DataAccess/") {
                    violations.append("\(file.path) imports CLibPQ")
                } else if file.text.contains("public import CLibPQ") || file.text.contains("@_exported import CLibPQ") {
                    violations.append("\(file.path) imports CLibPQ publicly")
                }
            }
        }
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test("no public DataAccess signature exposes an OpaquePointer or Unsafe type")
    func noPointersInPublicAPI() {
        var violations: [String] = []
        for file in Self.sources(under: "Sources/DataAccess") {
            for (number, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("public ") && (line.contains("OpaquePointer") || line.contains("Unsafe")) {
                violations.append("\(file.path):\(number + 1)")
            }
        }
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test("every target enables the shared upcoming features")
    func sharedSettings() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        for feature in ["ExistentialAny", "MemberImportVisibility", "InternalImportsByDefault"] {
            #expect(manifest.contains(".enableUpcomingFeature(\"\(feature)\")"))
        }
        // Target declarations open a line of their own; `.target(name:)` dependencies do not.
        let targets = ["\n        .target(\n", "\n        .executableTarget(\n", "\n        .testTarget(\n"].reduce(0) {
            $0 + manifest.components(separatedBy: $1).count - 1
        }
        let withSettings = manifest.components(separatedBy: "swiftSettings: swiftSettings").count - 1
        #expect(targets == withSettings, "\(targets) targets, \(withSettings) with the shared swiftSettings")
    }
}
