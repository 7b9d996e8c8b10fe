import PluginKit

/// The registry's part of `/openapi.json`.
enum RegistryOpenAPI {
    typealias O = OpenAPIPart

    static let part = OpenAPIPart(paths: paths, schemas: schemas)

    static let paths: [String: JSONValue] = [
        "/organisations": [
            "get": O.operation(
                "Search organisations by name, organisation number, kind and state",
                permission: RegistryPermissions.organisationRead,
                parameters: [
                    O.queryParameter("q", "Part of the name; case and accents ignored"),
                    O.queryParameter("organisationNumber", "NNNNNN-NNNN"),
                    O.queryParameter("kind", "Only this kind", schema: O.ref("RegistryOrganisationKind")),
                    O.queryParameter("state", "Only this state", schema: O.ref("RegistryOrganisationState")),
                ] + O.pageParameters,
                response: O.page(of: "RegistryOrganisation")
            ),
            "post": O.operation(
                "Register an organisation",
                permission: RegistryPermissions.organisationWrite,
                body: O.ref("RegistryOrganisationDraft"),
                status: 201,
                response: O.ref("RegistryOrganisation")
            ),
        ],
        "/organisations/{id}": [
            "get": O.operation(
                "An organisation",
                permission: RegistryPermissions.organisationRead,
                parameters: [O.idParameter()],
                response: O.ref("RegistryOrganisation")
            ),
            "patch": O.operation(
                "Change an organisation (absent fields stay)",
                permission: RegistryPermissions.organisationWrite,
                parameters: [O.idParameter()],
                body: O.ref("RegistryOrganisationDraft"),
                response: O.ref("RegistryOrganisation")
            ),
        ],
        "/organisations/{id}/state": [
            "post": O.operation(
                "Change the state: prospect → active → woundUp (woundUp needs `on` and `reason`)",
                permission: RegistryPermissions.organisationWrite,
                parameters: [O.idParameter()],
                body: [
                    "type": "object", "required": ["state"],
                    "properties": [
                        "state": O.ref("RegistryOrganisationState"), "on": ["type": "string", "format": "date"], "reason": ["type": "string"],
                    ],
                ],
                response: O.ref("RegistryOrganisation")
            )
        ],
        "/organisations/{id}/roles": [
            "get": O.operation(
                "The roles people have (had) in an organisation",
                permission: RegistryPermissions.personRead,
                parameters: [O.idParameter()],
                response: O.list(of: "RegistryRole")
            )
        ],
        "/people": [
            "get": O.operation(
                "Search people by name or identity number (numbers are masked in the answer)",
                permission: RegistryPermissions.personRead,
                parameters: [
                    O.queryParameter("q", "Part of the name; case and accents ignored"),
                    O.queryParameter("identityNumber", "A personnummer or samordningsnummer, 10 or 12 digits"),
                    O.queryParameter("organisationId", "Only people with a role in this organisation", schema: ["type": "integer"]),
                ] + O.pageParameters,
                response: O.page(of: "RegistryPerson")
            ),
            "post": O.operation(
                "Register a person",
                permission: RegistryPermissions.personWrite,
                body: O.ref("RegistryPersonDraft"),
                status: 201,
                response: O.ref("RegistryPerson")
            ),
        ],
        "/people/{id}": [
            "get": O.operation(
                "A person",
                permission: RegistryPermissions.personRead,
                parameters: [O.idParameter()],
                response: O.ref("RegistryPerson")
            ),
            "patch": O.operation(
                "Change a person (absent fields stay)",
                permission: RegistryPermissions.personWrite,
                parameters: [O.idParameter()],
                body: O.ref("RegistryPersonDraft"),
                response: O.ref("RegistryPerson")
            ),
        ],
        "/people/{id}/roles": [
            "get": O.operation(
                "A person's roles",
                permission: RegistryPermissions.personRead,
                parameters: [O.idParameter()],
                response: O.list(of: "RegistryRole")
            )
        ],
        "/people/{id}/erasure": [
            "post": O.operation(
                "Erase a person's identifying data (pseudonym; counts and relations stay)",
                permission: RegistryPermissions.personErase,
                parameters: [O.idParameter()],
                response: O.ref("RegistryPerson")
            )
        ],
        "/roles": [
            "post": O.operation(
                "Give a person a role in an organisation",
                permission: RegistryPermissions.personWrite,
                body: O.ref("RegistryRoleDraft"),
                status: 201,
                response: O.ref("RegistryRole")
            )
        ],
        "/roles/{id}": [
            "get": O.operation("A role", permission: RegistryPermissions.personRead, parameters: [O.idParameter()], response: O.ref("RegistryRole"))
        ],
        "/roles/{id}/end": [
            "post": O.operation(
                "End a role on a day",
                permission: RegistryPermissions.personWrite,
                parameters: [O.idParameter()],
                body: ["type": "object", "required": ["on"], "properties": ["on": ["type": "string", "format": "date"]]],
                response: O.ref("RegistryRole")
            )
        ],
    ]

    static let contact: JSONValue = [
        "type": "object",
        "properties": ["email": ["type": "string"], "phone": ["type": "string"], "address": ["type": "string"]],
    ]

    static let schemas: [String: JSONValue] = [
        "RegistryOrganisationKind": O.enumeration(OrganisationKind.allCases.map(\.rawValue)),
        "RegistryOrganisationState": O.enumeration(OrganisationState.allCases.map(\.rawValue)),
        "RegistryLegalForm": O.enumeration(LegalForm.allCases.map(\.rawValue)),
        "RegistryGender": O.enumeration(Gender.allCases.map(\.rawValue)),
        "RegistryRoleKind": O.enumeration(RoleKind.allCases.map(\.rawValue)),
        "RegistryASFCriteria": [
            "type": "object",
            "properties": [
                "integratesPeopleFarFromWork": ["type": "boolean"], "participationThroughOwnership": ["type": "boolean"],
                "profitsMainlyReinvested": ["type": "boolean"], "hasPublicOwner": ["type": "boolean"],
                "hasPubliclyEmployedSupervisor": ["type": "boolean"], "highestMonthlyWage": ["type": "integer"],
                "lowestMonthlyWage": ["type": "integer"],
            ],
        ],
        "RegistryOrganisationDraft": [
            "type": "object", "required": ["name", "legalForm", "kind"],
            "properties": [
                "name": ["type": "string", "maxLength": 200],
                "organisationNumber": ["type": "string", "description": "10 digits with a Luhn check digit, third digit ≥ 2"],
                "legalForm": O.ref("RegistryLegalForm"), "kind": O.ref("RegistryOrganisationKind"),
                "state": O.ref("RegistryOrganisationState"), "asf": O.ref("RegistryASFCriteria"), "contact": contact,
            ],
        ],
        "RegistryOrganisation": [
            "type": "object",
            "properties": [
                "id": ["type": "integer"], "name": ["type": "string"], "organisationNumber": ["type": "string"],
                "legalForm": O.ref("RegistryLegalForm"), "kind": O.ref("RegistryOrganisationKind"),
                "state": O.ref("RegistryOrganisationState"), "woundUpOn": O.date, "woundUpReason": ["type": "string"],
                "asf": O.ref("RegistryASFCriteria"),
                "asfAssessment": [
                    "type": "object",
                    "properties": [
                        "independentOfPublicSector": ["type": "boolean"], "meetsAllCriteria": ["type": "boolean"],
                        "warnings": ["type": "array", "items": ["type": "string"]],
                    ],
                ],
                "contact": contact, "createdAt": ["type": "string", "format": "date-time"],
                "updatedAt": ["type": "string", "format": "date-time"],
            ],
        ],
        "RegistryPersonDraft": [
            "type": "object", "required": ["name"],
            "properties": [
                "name": ["type": "string", "maxLength": 200],
                "identityNumber": ["type": "string", "description": "Personnummer or samordningsnummer, 10 or 12 digits, - or +"],
                "identityKind": O.enumeration(["personnummer", "samordningsnummer"]),
                "identityStatus": O.enumeration(["number", "none", "protected"]), "gender": O.ref("RegistryGender"), "contact": contact,
                "roles": [
                    "type": "array",
                    "items": [
                        "type": "object", "required": ["organisationId", "role", "from"],
                        "properties": ["organisationId": ["type": "integer"], "role": O.ref("RegistryRoleKind"), "from": O.date, "to": O.date],
                    ],
                ],
            ],
        ],
        "RegistryPerson": [
            "type": "object",
            "properties": [
                "id": ["type": "integer"], "name": ["type": "string"],
                "identityNumber": ["type": "string", "description": "Masked: YYYYMMDD-****"],
                "identityStatus": O.enumeration(IdentityStatus.allCases.map(\.rawValue)),
                "identityKind": O.enumeration(["personnummer", "samordningsnummer"]), "birthDate": O.date, "gender": O.ref("RegistryGender"),
                "contact": contact, "erasedAt": ["type": "string", "format": "date-time"],
            ],
        ],
        "RegistryRoleDraft": [
            "type": "object", "required": ["personId", "organisationId", "role", "from"],
            "properties": [
                "personId": ["type": "integer"], "organisationId": ["type": "integer"], "role": O.ref("RegistryRoleKind"), "from": O.date,
                "to": O.date,
            ],
        ],
        "RegistryRole": [
            "type": "object",
            "properties": [
                "id": ["type": "integer"], "personId": ["type": "integer"], "organisationId": ["type": "integer"],
                "role": O.ref("RegistryRoleKind"), "from": O.date, "to": O.date,
            ],
        ],
    ]
}
