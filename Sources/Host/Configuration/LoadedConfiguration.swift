import Foundation
import PluginKit

/// The whole configuration: the host's settings and the features it enables, validated
/// together so that `config check` and `serve` report the same problems.
struct LoadedConfiguration: Sendable {
    let host: HostConfiguration
    let features: FeatureSet

    /// Reads and validates the configuration.
    ///
    /// - Parameters:
    ///   - path: The YAML file.
    ///   - environment: The process environment (for `KOOPERATOR_*` overrides).
    ///   - plugins: The features this host was built with.
    /// - Returns: The configuration, and every problem found (empty when valid).
    static func load(
        path: String,
        environment: [String: String],
        plugins: [any FeaturePlugin.Type]
    ) -> (LoadedConfiguration?, [ConfigProblem]) {
        var root: ConfigValue
        do {
            root = try ConfigFile.load(path: path)
        } catch let problems as ConfigProblems {
            return (nil, problems.problems)
        } catch {
            return (nil, [ConfigProblem(keyPath: "(file)", message: "\(error)", origin: path)])
        }
        ConfigFile.applyEnvironment(environment, to: &root)
        return load(root: root, path: path, plugins: plugins)
    }

    /// Validates an already parsed tree.
    static func load(root: ConfigValue, path: String, plugins: [any FeaturePlugin.Type]) -> (LoadedConfiguration?, [ConfigProblem]) {
        let section = ConfigSection(path: "", value: root)
        let host = HostConfiguration(root: section, path: path)
        let features = FeatureSet(section: section.section("features"), plugins: plugins)
        section.reportUnreadKeys()
        let problems = section.problems
        return (LoadedConfiguration(host: host, features: features), problems)
    }
}
