public import PluginKit

/// A feature with pages for caseworkers and supervisors: the host finds it among the enabled
/// features (`plugin as? any PageFeature`), mounts its pages at `/<id>` behind the sign-in, shows
/// its navigation entry and gathers its contributions to the start page and the organisation
/// page. A feature without pages conforms to `FeaturePlugin` alone.
///
/// ```swift
/// extension SupervisionPlugin: PageFeature {
///     public func pages(context: FeatureContext) throws -> (any PageProvider)? {
///         try SupervisionPages(store: SupervisionStore(context: context), templates: PageTemplates(bundle: .module))
///     }
/// }
/// ```
public protocol PageFeature: FeaturePlugin {
    /// The feature's pages, made once at start-up while the feature is enabled.
    ///
    /// - Parameter context: The database, logger, event publisher and kernel services.
    /// - Returns: The pages; `nil` when the feature has none after all.
    /// - Throws: ``PageSetupError`` when the feature's templates or texts cannot be loaded.
    func pages(context: FeatureContext) throws -> (any PageProvider)?
}
