public import DataAccess
public import PluginKit

extension Registry {
    /// The id of the organisation with exactly this name (the lowest id if several), for a
    /// feature's demo data that builds on the registry's demo.
    ///
    /// - Throws: ``FeatureError`` `.notFound` saying to load the registry's demo first.
    public func demoOrganisationID(named name: String, in executor: some SQLExecutor) throws -> Int {
        guard let row = try executor.queryFirst("SELECT id FROM registry.organisations WHERE name = \(name) ORDER BY id LIMIT 1") else {
            throw FeatureError(.notFound, "the registry's demo organisation '\(name)' is missing; load the registry demo first")
        }
        return try row.decode("id")
    }

    /// The id of the person with exactly this name (the lowest id if several), for demo data.
    ///
    /// - Throws: ``FeatureError`` `.notFound` saying to load the registry's demo first.
    public func demoPersonID(named name: String, in executor: some SQLExecutor) throws -> Int {
        guard let row = try executor.queryFirst("SELECT id FROM registry.people WHERE name = \(name) ORDER BY id LIMIT 1") else {
            throw FeatureError(.notFound, "the registry's demo person '\(name)' is missing; load the registry demo first")
        }
        return try row.decode("id")
    }
}
