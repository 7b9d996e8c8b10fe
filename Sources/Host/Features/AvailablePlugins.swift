import BenchPlugin
import PluginKit

/// The features this host is built with. Adding a feature is a folder under `Plugins/`, one
/// line in Package.swift, and one line here; nothing else in the host changes.
enum AvailablePlugins {
    static let all: [any FeaturePlugin.Type] = [BenchPlugin.self]
}
