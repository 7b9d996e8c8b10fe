// The registry's model types under the names `openapi-generator-config.yaml` maps the API
// document's schemas to. They cannot be spelled `Registry.Organisation` there, since inside this
// module `Registry` is the store struct, and a bare `Organisation` would make the generated
// `typealias Organisation = Organisation` refer to itself.

typealias APIOrganisationKind = OrganisationKind
typealias APIOrganisationState = OrganisationState
typealias APILegalForm = LegalForm
typealias APIGender = Gender
typealias APIIdentityStatus = IdentityStatus
typealias APIIdentityKind = IdentityNumber.Kind
typealias APIRoleKind = RoleKind
typealias APIContactDetails = ContactDetails
typealias APIASFCriteria = ASFCriteria
typealias APIASFAssessment = ASFAssessment
typealias APIOrganisationDraft = OrganisationDraft
typealias APIOrganisationPatch = OrganisationPatch
typealias APIOrganisationStateChange = OrganisationStateChange
typealias APIOrganisation = Organisation
typealias APIRoleAssignment = RoleAssignment
typealias APIPersonDraft = PersonDraft
typealias APIPersonPatch = PersonPatch
typealias APIPerson = Person
typealias APIRoleDraft = RoleDraft
typealias APIRole = PersonRole
typealias APIRoleEnd = RoleEnd
typealias APIUnitCostEntry = UnitCostEntry
typealias APIUnitCost = UnitCost
