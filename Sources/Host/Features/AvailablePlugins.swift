import ESFProject
import Education
import PartnershipAgreements
import PluginKit
import Registry
import Supervision

/// The features the product is built with. Adding a feature is a folder under `Plugins/`, one
/// line in Package.swift, and one line here; nothing else in the host changes. The benchmark's
/// feature is not here: only `kooperator-bench` adds it (``HostCLI/main(adding:)``).
enum AvailablePlugins {
    /// The optional features, switched on and off in `features.<id>.enabled`.
    static let all: [any FeaturePlugin.Type] = [
        SupervisionPlugin.self, EducationPlugin.self, ESFProjectPlugin.self, PartnershipAgreementsPlugin.self,
    ]

    /// The kernel's own modules, mounted like features but always on: every host has them,
    /// whatever list of features it is given.
    static let kernel: [any FeaturePlugin.Type] = [RegistryPlugin.self]
}
