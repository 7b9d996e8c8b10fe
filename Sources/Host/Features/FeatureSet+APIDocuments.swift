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

extension HostRuntime {
    /// The host's own API document (health, audit log), mounted at the root.
    ///
    /// - Throws: ``APIDocument/Problem`` when it is missing or unusable.
    func hostDocument() throws -> APIDocument {
        guard let url = HostAPI.document else { throw APIDocument.Problem(feature: "kernel", message: "is missing from the host's resources") }
        return try APIDocument(url: url, featureID: "kernel", pathPrefix: "", permissions: KernelPermissions.all)
    }
}
