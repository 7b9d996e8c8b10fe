public import DataAccess
public import PluginKit

extension Registry {
    /// An organisation a feature's input refers to (`/cooperativeId`, `/providerId`, …): one that
    /// does not exist or is outside reach is a bad value of `field` (422), not a missing route
    /// target; with `kind`, it must be of that kind.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming `field`.
    public func referencedOrganisation(
        _ id: Int,
        kind: OrganisationKind? = nil,
        field: String,
        reach: Reach,
        in executor: some SQLExecutor
    ) throws -> Organisation {
        let organisation: Organisation
        do {
            organisation = try self.organisation(id: id, reach: reach, in: executor)
        } catch let error as FeatureError where error.code == .notFound {
            throw FeatureError(.invalidInput, "no organisation with id \(id)", field: field)
        }
        if let kind, organisation.kind != kind {
            throw FeatureError(.invalidInput, "\(organisation.name) (\(id)) is a \(organisation.kind.rawValue), not a \(kind.rawValue)", field: field)
        }
        return organisation
    }

    /// A person a feature's input refers to; missing or outside reach is a bad value of `field`.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming `field`.
    public func referencedPerson(_ id: Int, field: String, reach: Reach, in executor: some SQLExecutor) throws -> Person {
        do {
            return try person(id: id, reach: reach, in: executor)
        } catch let error as FeatureError where error.code == .notFound {
            throw FeatureError(.invalidInput, "no person with id \(id)", field: field)
        }
    }
}
