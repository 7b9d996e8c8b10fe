import Foundation
import PluginKit

/// The whole configuration: the host's settings and the features it enables, validated
/// together so that `config check` and `serve` report the same problems.
package struct LoadedConfiguration: Sendable {
    let host: HostConfiguration
    let features: FeatureSet
    /// The roles of the kernel and the enabled features, and what each holds.
    let roles: RoleCatalogue

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
        // The variable would hide a key written in the file; the file is refused all the same.
        let keyInFile = root["security"]?["identityKey"].map { identityKeyProblem($0) }
        ConfigFile.applyEnvironment(environment, to: &root)
        let (configuration, problems) = load(root: root, path: path, plugins: plugins, environment: environment)
        guard let keyInFile, environment[ConfigFile.identityKeyVariable] != nil else { return (configuration, problems) }
        return (configuration, [keyInFile] + problems)
    }

    /// The identity key is a secret: it comes from `KOOPERATOR_IDENTITY_KEY` or the key file, never
    /// from the config file, which is read by more people and kept in more places.
    static func identityKeyProblem(_ value: ConfigValue) -> ConfigProblem {
        ConfigProblem(
            keyPath: "security.identityKey",
            message: "the identity key is not read from the config file: set \(ConfigFile.identityKeyVariable) or put it in the file "
                + "security.identityKeyFile names (mode 0600), and remove it from here",
            origin: value.origin
        )
    }

    /// Validates an already parsed tree; `environment` holds the variable `mail.smtp.passwordVariable` names.
    static func load(
        root: ConfigValue,
        path: String,
        plugins: [any FeaturePlugin.Type],
        environment: [String: String] = [:]
    ) -> (LoadedConfiguration?, [ConfigProblem]) {
        let section = ConfigSection(path: "", value: root)
        let host = HostConfiguration(root: section, path: path, environment: environment)
        let features = FeatureSet(section: section.section("features"), plugins: plugins)
        let (roles, roleProblems) = RoleCatalogue.load(features: features)
        section.reportUnreadKeys()
        var problems = section.problems + roleProblems
        if let key = root["security"]?["identityKey"], key.origin != ConfigFile.identityKeyVariable {
            problems.insert(identityKeyProblem(key), at: 0)
        }
        return (LoadedConfiguration(host: host, features: features, roles: roles), problems)
    }
}
