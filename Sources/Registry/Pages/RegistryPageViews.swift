import DataAccess
import PageKit
import PluginKit

// What the registry's templates show, with every text already in the viewer's language.
// Stored properties only: templates read values through reflection.

/// The ASF independence criterion as derived: whether it holds today, and the days it did not
/// (a supervisor employed by a public body).
struct Independence {
    var today: Bool
    var periods: [PublicSupervision]
}

/// An organisation as its page and the list show it.
struct OrganisationView {
    struct Criterion {
        let label: String
        let met: Bool
    }

    let id: Int
    let link: String
    let name: String
    let number: String
    let legalForm: String
    let kind: String
    let state: String
    let woundUp: String?
    let email: String?
    let phone: String?
    let address: String?
    let criteria: [Criterion]
    let wageWarning: String?
    /// Why and when it was not independent of the public sector (its page only).
    let notIndependent: [String]
    let hasCriteria: Bool

    init(_ organisation: Organisation, independence: Independence? = nil, page: PageContext) {
        id = organisation.id
        link = "/registry/organisations/\(organisation.id)"
        name = organisation.name
        number = organisation.organisationNumber?.formatted ?? "–"
        legalForm = page.text("legalForm_" + organisation.legalForm.rawValue)
        kind = page.text("kind_" + organisation.kind.rawValue)
        state = page.text("state_" + organisation.state.rawValue)
        woundUp = organisation.woundUpOn.map { day in "\(day)" + (organisation.woundUpReason.map { ": " + $0 } ?? "") }
        email = organisation.contact.email
        phone = organisation.contact.phone
        address = organisation.contact.address
        if let asf = organisation.asf {
            criteria = [
                Criterion(label: page.text("asfIntegrates"), met: asf.integratesPeopleFarFromWork),
                Criterion(label: page.text("asfOwnership"), met: asf.participationThroughOwnership),
                Criterion(label: page.text("asfReinvested"), met: asf.profitsMainlyReinvested),
                Criterion(label: page.text("asfIndependent"), met: independence?.today ?? asf.independentOfPublicSector),
            ]
            if let highest = asf.highestMonthlyWage, let lowest = asf.lowestMonthlyWage, lowest > 0, highest * 2 > lowest * 5 {
                wageWarning = page.text("asfWageWarning")
            } else {
                wageWarning = nil
            }
        } else if let independence, !independence.periods.isEmpty {
            criteria = [Criterion(label: page.text("asfIndependent"), met: independence.today)]
            wageWarning = nil
        } else {
            criteria = []
            wageWarning = nil
        }
        notIndependent = (independence?.periods ?? []).map { period in
            page.text(
                "asfNotIndependentPeriod",
                [
                    "from": "\(period.from)", "to": period.to.map { "\($0)" } ?? "", "person": period.personName,
                    "employer": period.employerName,
                ]
            )
        }
        hasCriteria = !criteria.isEmpty
    }
}

/// A person as their page and the list show them: the identity number masked.
struct PersonView {
    let id: Int
    let link: String
    let name: String
    let identityNumber: String
    let gender: String
    let birthDate: String
    let email: String?
    let phone: String?
    let erased: Bool

    init(_ person: Person, page: PageContext) {
        id = person.id
        link = "/registry/people/\(person.id)"
        name = person.name
        identityNumber = person.identityNumber ?? page.text("identity_" + person.identityStatus.rawValue)
        gender = page.text("gender_" + person.gender.rawValue)
        birthDate = person.birthDate?.description ?? "–"
        email = person.contact.email
        phone = person.contact.phone
        erased = person.erasedAt != nil
    }
}

/// A role with both its names and links.
struct RoleView {
    let role: String
    let personName: String
    let personLink: String
    let organisationName: String
    let organisationLink: String
    let from: String
    let to: String
    /// The form that ends it, while it runs and the viewer may.
    let endLink: String?

    init(_ row: RoleRow, page: PageContext) {
        role = page.text("role_" + row.role.role.rawValue)
        personName = row.personName
        personLink = "/registry/people/\(row.role.personId)"
        organisationName = row.organisationName
        organisationLink = "/registry/organisations/\(row.role.organisationId)"
        from = row.role.from.description
        to = row.role.to?.description ?? "–"
        endLink =
            row.role.to.map { $0 < LocalDate.today() } == true
            ? nil : page.formLink("registry", "endRole", ["id": String(row.role.id)], requiring: RegistryPermissions.personWrite)
    }
}
