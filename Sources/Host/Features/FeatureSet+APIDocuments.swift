import PluginKit

extension FeatureSet {
    /// The API documents of the enabled features that have one, by feature id.
    ///
    /// - Throws: ``APIDocument/Problem`` when a document cannot be read, or an operation lacks an
    ///   id or names no permission the feature declares: the host does not start with a route unguarded.
    func apiDocuments() throws -> [String: APIDocument] {
        var documents: [String: APIDocument] = [:]
        for feature in enabled {
            guard let url = feature.type.apiDocument else { continue }
            documents[feature.id] = try APIDocument(url: url, featureID: feature.id, permissions: feature.plugin.permissions)
        }
        return documents
    }
}
