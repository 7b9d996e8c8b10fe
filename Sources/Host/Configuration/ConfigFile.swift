import Foundation
import PluginKit
import Yams

/// Reads `config/kooperator.yaml` into a ``ConfigValue`` tree and lays environment overrides
/// over it.
///
/// Yams, not swift-configuration: `kooperator config check` must name every unknown key and
/// every wrong type with its key path and line, which needs the whole document as a tree;
/// swift-configuration answers lookups of known keys and cannot list what it was not asked.
enum ConfigFile {
    /// Environment variables that override single settings. Feature switches follow the
    /// pattern `KOOPERATOR_FEATURES_<ID>_ENABLED`.
    static let environmentOverrides: [(variable: String, path: [String])] = [
        ("KOOPERATOR_DATABASE_URL", ["database", "url"]),
        ("KOOPERATOR_DATABASE_MIGRATION_URL", ["database", "migrationUrl"]),
        ("KOOPERATOR_DATABASE_POOL_SIZE", ["database", "poolSize"]),
        ("KOOPERATOR_HTTP_HOST", ["http", "host"]),
        ("KOOPERATOR_HTTP_PORT", ["http", "port"]),
        ("KOOPERATOR_LOG_LEVEL", ["logging", "level"]),
        (identityKeyVariable, ["security", "identityKey"]),
        ("KOOPERATOR_ENVIRONMENT", ["environment"]),
        ("KOOPERATOR_METRICS_ADDRESS", ["metrics", "address"]),
        ("KOOPERATOR_PASSWORD_HASH_COST", ["security", "passwordHashCost"]),
    ]

    /// The variable that holds the identity key; `security.identityKey` comes only from it.
    static let identityKeyVariable = "KOOPERATOR_IDENTITY_KEY"

    /// Parses YAML text.
    ///
    /// - Parameters:
    ///   - text: The document.
    ///   - name: The file name for origins (`config/kooperator.yaml:12`).
    /// - Throws: ``ConfigProblems`` when the text is not YAML.
    static func parse(_ text: String, name: String) throws -> ConfigValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ConfigProblems([ConfigProblem(keyPath: "(file)", message: "not valid YAML: \(error)", origin: name)])
        }
        guard let node else { return .map([], origin: name) }
        return convert(node, name: name)
    }

    /// Reads the file at `path`.
    ///
    /// - Throws: ``ConfigProblems`` when it cannot be read or parsed.
    static func load(path: String) throws -> ConfigValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigProblems([ConfigProblem(keyPath: "(file)", message: "cannot read the config file \(path)")])
        }
        return try parse(String(decoding: data, as: UTF8.self), name: path)
    }

    /// Applies `KOOPERATOR_*` variables to the tree.
    static func applyEnvironment(_ environment: [String: String], to root: inout ConfigValue) {
        for (variable, path) in environmentOverrides {
            if let value = environment[variable] { root.set(.scalar(value, origin: variable), at: path) }
        }
        for (variable, value) in environment.sorted(by: { $0.key < $1.key })
        where variable.hasPrefix("KOOPERATOR_FEATURES_") && variable.hasSuffix("_ENABLED") {
            let id = variable.dropFirst("KOOPERATOR_FEATURES_".count).dropLast("_ENABLED".count).lowercased()
            guard !id.isEmpty else { continue }
            root.set(.scalar(value, origin: variable), at: ["features", id, "enabled"])
        }
    }

    private static func convert(_ node: Node, name: String) -> ConfigValue {
        let origin = node.mark.map { "\(name):\($0.line)" } ?? name
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, node.null != nil { return .null(origin: origin) }
            return .scalar(scalar.string, origin: origin)
        case .sequence(let sequence):
            return .list(sequence.map { convert($0, name: name) }, origin: origin)
        case .mapping(let mapping):
            return .map(mapping.map { (key: $0.key.string ?? "\($0.key)", value: convert($0.value, name: name)) }, origin: origin)
        case .alias:
            return .null(origin: origin)
        }
    }
}
