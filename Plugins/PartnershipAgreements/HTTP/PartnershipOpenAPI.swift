import PluginKit

/// The partnership feature's part of `/openapi.json`.
enum PartnershipOpenAPI {
    typealias O = OpenAPIPart
    typealias P = PartnershipPermissions

    static let part = OpenAPIPart(paths: paths, schemas: schemas)

    static let date = O.date
    static let id: JSONValue = ["type": "integer", "format": "int64"]
    static let decimal: JSONValue = ["type": "number", "minimum": 0, "multipleOf": 0.01]
    static let text: JSONValue = ["type": "string"]
    static let csvParameter = O.queryParameter("format", "csv for a CSV download (or Accept: text/csv)")

    static let paths: [String: JSONValue] = [
        "/agreements": [
            "get": O.operation(
                "Agreements and grants that a party within reach is party to",
                permission: P.read,
                parameters: [
                    O.queryParameter("kind", "Only of this kind", schema: O.ref("PartnershipAgreementKind")),
                    O.queryParameter("state", "Only in this state", schema: O.ref("PartnershipAgreementState")),
                    O.queryParameter("organisationId", "Only those this organisation is party to", schema: id),
                    O.queryParameter("flagged", "true: only those flagged for review"),
                ] + O.pageParameters,
                response: O.page(of: "PartnershipAgreement")
            ),
            "post": O.operation(
                "Record an agreement (draft) or a grant application (applied)",
                permission: P.agreementWrite,
                body: O.ref("PartnershipAgreementDraft"),
                status: 201,
                response: O.ref("PartnershipAgreement")
            ),
        ],
        "/agreements/{id}": [
            "get": O.operation("An agreement", permission: P.read, parameters: [O.idParameter()], response: O.ref("PartnershipAgreement"))
        ],
        "/agreements/{id}/state": [
            "post": O.operation(
                "Change the state along the kind's lifecycle (409 naming /state for any other change); signing an IOP needs both sides' contributions and the procurement check (422)",
                permission: P.agreementWrite,
                parameters: [O.idParameter()],
                body: O.object(
                    [
                        "state": O.ref("PartnershipAgreementState"), "on": date, "comment": text, "grantedAmount": decimal, "conditions": text,
                        "reportDueOn": date, "amount": decimal, "reason": text, "to": date, "reviewOn": date,
                    ],
                    required: ["state"]
                ),
                response: O.ref("PartnershipAgreement")
            )
        ],
        "/agreements/{id}/transitions": [
            "get": O.operation(
                "The changes of state: who, when and why",
                permission: P.read,
                parameters: [O.idParameter()],
                response: ["type": "object"]
            )
        ],
        "/agreements/{id}/contributions": [
            "post": O.operation(
                "Add a party's contribution for a year (money, or in kind with a valuation and a description)",
                permission: P.agreementWrite,
                parameters: [O.idParameter()],
                body: O.ref("PartnershipContribution"),
                response: O.ref("PartnershipAgreement")
            )
        ],
        "/agreements/{id}/procurement-check": [
            "post": O.operation(
                "Record the procurement / state-aid check before signing",
                permission: P.agreementWrite,
                parameters: [O.idParameter()],
                body: O.object(["finding": text, "on": date], required: ["finding"]),
                response: O.ref("PartnershipAgreement")
            )
        ],
        "/agreements/{id}/reviewed": [
            "post": O.operation(
                "Clear the review flag a wound-up party set",
                permission: P.agreementWrite,
                parameters: [O.idParameter()],
                response: O.ref("PartnershipAgreement")
            )
        ],
        "/agreements/{id}/grant": [
            "get": O.operation(
                "A grant's money: decision, payments planned and made, reports, repayment claims",
                permission: P.read,
                parameters: [O.idParameter()],
                response: ["type": "object"]
            )
        ],
        "/agreements/{id}/payments": [
            "post": O.operation(
                "Plan (plannedOn) or make (paidOn) a payment; never above the amount granted",
                permission: P.grantWrite,
                parameters: [O.idParameter()],
                body: O.object(["amount": decimal, "plannedOn": date, "paidOn": date, "note": text], required: ["amount"]),
                status: 201,
                response: O.ref("PartnershipPayment")
            )
        ],
        "/payments/{id}/paid": [
            "post": O.operation(
                "Mark a planned payment as made",
                permission: P.grantWrite,
                parameters: [O.idParameter()],
                body: O.object(["paidOn": date], required: ["paidOn"]),
                response: O.ref("PartnershipPayment")
            )
        ],
        "/agreements/{id}/report": [
            "post": O.operation(
                "Record a paid grant's follow-up report (409 naming /state before it is paid)",
                permission: P.grantWrite,
                parameters: [O.idParameter()],
                body: O.object(["submittedOn": date, "summary": text], required: ["submittedOn", "summary"]),
                status: 201,
                response: ["type": "object"]
            )
        ],
        "/agreements/{id}/activities": [
            "get": O.operation(
                "A framework agreement's action plan",
                permission: P.read,
                parameters: [O.idParameter()],
                response: O.list(of: "PartnershipActivity")
            ),
            "post": O.operation(
                "Add an activity to a framework agreement's action plan",
                permission: P.activityWrite,
                parameters: [O.idParameter()],
                body: O.object(
                    [
                        "what": text, "how": text, "who": text, "when": text, "dueOn": date, "financing": text,
                        "status": O.enumeration(Activity.Status.allCases.map(\.rawValue)), "outcome": text,
                    ],
                    required: ["what"]
                ),
                status: 201,
                response: O.ref("PartnershipActivity")
            ),
        ],
        "/activities/{id}": [
            "post": O.operation(
                "Set an activity's status and outcome",
                permission: P.activityWrite,
                parameters: [O.idParameter()],
                body: O.object(["status": O.enumeration(Activity.Status.allCases.map(\.rawValue)), "outcome": text], required: ["status"]),
                response: O.ref("PartnershipActivity")
            )
        ],
        "/agreements/{id}/documents": [
            "get": O.operation(
                "The documents attached to an agreement (without content)",
                permission: P.read,
                parameters: [O.idParameter()],
                response: O.list(of: "PartnershipDocument")
            ),
            "post": [
                "summary": "Attach a document: the raw file as the body, its type in Content-Type (allowed types and size from config), ?filename=",
                "description": .string(
                    "Requires the permission `\(P.documentWrite.id)` (roles: \(P.documentWrite.roles.map(\.rawValue).sorted().joined(separator: ", ")))."
                ),
                "security": [["bearer": []]],
                "parameters": [O.idParameter(), O.queryParameter("filename", "The file's name")],
                "requestBody": ["required": true, "content": ["*/*": ["schema": ["type": "string", "format": "binary"]]]],
                "responses": [
                    "201": ["description": "Stored", "content": ["application/json": ["schema": O.ref("PartnershipDocument")]]],
                    "422": ["description": "Over the size limit (/content), a type not allowed (/contentType), content not of the type"],
                ],
            ],
        ],
        "/documents/{id}": [
            "get": O.operation(
                "A document's content, as a download",
                permission: P.read,
                parameters: [O.idParameter()],
                response: ["type": "string", "format": "binary"]
            )
        ],
        "/follow-up": [
            "get": O.operation(
                "Review dates, ends and grant report dates within the configured days or overdue, and agreements flagged for review",
                permission: P.read,
                parameters: [O.queryParameter("asOf", "The day (default today)", schema: date), csvParameter],
                response: ["type": "object"]
            )
        ],
        "/reminders": [
            "get": O.operation(
                "Reminders the daily job raised, newest first",
                permission: P.read,
                parameters: O.pageParameters,
                response: ["type": "object"]
            )
        ],
        "/ledger": [
            "get": O.operation(
                "The grant ledger per organisation and year: applied, granted, paid, repaid",
                permission: P.read,
                parameters: [
                    O.queryParameter("year", "Only this grant year", schema: ["type": "integer"]),
                    O.queryParameter("organisationId", "Only this organisation", schema: id), csvParameter,
                ],
                response: ["type": "object"]
            )
        ],
        "/totals": [
            "get": O.operation(
                "Totals per kind of agreement and year: agreements running, contributions in money and in kind, grant money",
                permission: P.read,
                parameters: [O.queryParameter("year", "Only this year", schema: ["type": "integer"]), csvParameter],
                response: ["type": "object"]
            )
        ],
    ]

    static let schemas: [String: JSONValue] = [
        "PartnershipAgreementKind": O.enumeration(AgreementKind.allCases.map(\.rawValue)),
        "PartnershipAgreementState": O.enumeration(AgreementState.allCases.map(\.rawValue)),
        "PartnershipContribution": O.object(
            [
                "organisationId": id, "year": ["type": "integer"], "form": O.enumeration(Contribution.Form.allCases.map(\.rawValue)),
                "amount": decimal, "description": text,
            ],
            required: ["organisationId", "year", "form", "amount"]
        ),
        "PartnershipAgreementDraft": O.object(
            [
                "kind": O.ref("PartnershipAgreementKind"), "title": text, "purpose": text, "partyIds": ["type": "array", "items": id],
                "from": date, "to": date, "reviewOn": date, "terminationTerms": text, "initiatedById": id, "procurementCheck": text,
                "grantYear": ["type": "integer"], "appliedAmount": decimal,
                "contributions": ["type": "array", "items": O.ref("PartnershipContribution")],
            ],
            required: ["kind", "title", "purpose", "partyIds", "from"]
        ),
        "PartnershipAgreement": O.object([
            "id": id, "kind": O.ref("PartnershipAgreementKind"), "title": text, "purpose": text, "state": O.ref("PartnershipAgreementState"),
            "from": date, "to": date, "reviewOn": date, "terminationTerms": text, "initiatedById": id, "procurementCheck": text,
            "procurementCheckedOn": date,
            "grantYear": ["type": "integer"], "appliedAmount": decimal, "grantedAmount": decimal, "conditions": text, "decidedOn": date,
            "reportDueOn": date, "paidAmount": decimal, "repaidAmount": decimal, "flaggedForReview": ["type": "boolean"], "flagReason": text,
            "parties": [
                "type": "array",
                "items": O.object(["organisationId": id, "side": O.enumeration(Party.Side.allCases.map(\.rawValue))]),
            ],
            "contributions": ["type": "array", "items": O.ref("PartnershipContribution")],
        ]),
        "PartnershipPayment": O.object([
            "id": id, "agreementId": id, "amount": decimal, "plannedOn": date, "paidOn": date, "note": text,
        ]),
        "PartnershipActivity": O.object([
            "id": id, "agreementId": id, "what": text, "how": text, "who": text, "when": text, "dueOn": date, "financing": text,
            "status": O.enumeration(Activity.Status.allCases.map(\.rawValue)), "outcome": text,
        ]),
        "PartnershipDocument": O.object([
            "id": id, "agreementId": id, "filename": text, "contentType": text, "sizeBytes": ["type": "integer"], "uploadedBy": text,
            "uploadedAt": ["type": "string", "format": "date-time"],
        ]),
    ]
}
