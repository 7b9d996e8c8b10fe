public import PluginKit

/// A feature that contributes figures to the host's reports (`/reports/…` and
/// `/api/v1/reports/{report}`): the host finds it among the enabled features
/// (`plugin as? any ReportFeature`), asks every contributor for its part of a report and lays
/// the parts side by side. A disabled feature contributes nothing, and the report names the
/// parts that are missing.
///
/// The contract lives here rather than in PluginKit so the plugin contract stays small: only a
/// feature with figures to give conforms.
///
/// ```swift
/// extension SupervisionPlugin: ReportFeature {
///     public func reportContributor(context: FeatureContext) throws -> (any ReportContributor)? {
///         SupervisionReports(store: try SupervisionStore(context: context), strings: try PageTemplates(bundle: .module).strings)
///     }
/// }
/// ```
public protocol ReportFeature: FeaturePlugin {
    /// The feature's contributor, made once at start-up while the feature is enabled.
    ///
    /// - Parameter context: The database, logger and kernel services.
    /// - Returns: The contributor; `nil` when the feature has nothing to give after all.
    /// - Throws: When the feature's store or texts cannot be set up.
    func reportContributor(context: FeatureContext) throws -> (any ReportContributor)?
}
