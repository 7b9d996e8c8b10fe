import DataAccess
import PluginKit

extension Registry {
    /// Records that a study circle formed a cooperative (`education.circleFormedCooperative`):
    /// links the organisation named by id, or one cooperative of that name, or registers it as a
    /// prospect; then gives each participant the role cooperator from `day`, unless they already
    /// hold it then. Idempotent, so a redelivered event changes nothing.
    ///
    /// - Returns: The organisation's id.
    @discardableResult
    func cooperativeFormed(name: String, organisationId: Int?, participants: [Int], on day: LocalDate, in tx: Transaction) throws -> Int {
        var id = organisationId
        if id == nil {
            id = try tx.queryFirst(
                """
                SELECT id FROM registry.organisations
                WHERE kind = 'cooperative' AND search_name = \(SearchText.fold(name)) AND state <> 'woundUp' ORDER BY id LIMIT 1
                """
            )?.decode("id")
        }
        let organisation =
            try id
            ?? createOrganisation(
                OrganisationDraft(name: name, legalForm: .economicAssociation, kind: .cooperative, state: .prospect),
                actor: .system,
                in: tx
            ).id
        for person in participants {
            let held = try roles(ofPerson: person, inOrganisation: organisation, reach: .everything, in: tx)
            if held.contains(where: { $0.role == .cooperator && ($0.to.map { $0 >= day } ?? true) }) { continue }
            _ = try insertRole(RoleDraft(personId: person, organisationId: organisation, role: .cooperator, from: day), actor: .system, in: tx)
        }
        return organisation
    }
}
