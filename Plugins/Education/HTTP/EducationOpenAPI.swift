import PluginKit

/// The education feature's part of `/openapi.json`.
enum EducationOpenAPI {
    typealias O = OpenAPIPart
    typealias P = EducationPermissions

    static let part = OpenAPIPart(paths: paths, schemas: schemas)

    static let id: JSONValue = ["type": "integer", "format": "int64"]
    static let text: JSONValue = ["type": "string"]

    static let paths: [String: JSONValue] = [
        "/circles": [
            "get": O.operation(
                "Study circles",
                permission: P.read,
                parameters: [
                    O.queryParameter("studyAssociationId", "Only this study association's", schema: id),
                    O.queryParameter("state", "Only in this state", schema: O.ref("EducationCircleState")),
                ] + O.pageParameters,
                response: O.page(of: "EducationCircle")
            ),
            "post": O.operation(
                "Plan a circle",
                permission: P.circleWrite,
                body: O.object(
                    [
                        "studyAssociationId": id, "leaderId": id, "assistantId": id, "subject": text, "studyPlan": text, "aimsCooperativeId": id,
                        "plannedStart": O.date, "plannedEnd": O.date,
                    ],
                    required: ["studyAssociationId", "leaderId", "subject", "plannedStart", "plannedEnd"]
                ),
                status: 201,
                response: O.ref("EducationCircle")
            ),
        ],
        "/circles/{id}": ["get": O.operation("A circle", permission: P.read, parameters: [O.idParameter()], response: O.ref("EducationCircle"))],
        "/circles/{id}/enrolments": [
            "get": O.operation(
                "Who is enrolled",
                permission: P.read,
                parameters: [O.idParameter()],
                response: O.object(["personIds": ["type": "array", "items": id]])
            ),
            "post": O.operation(
                "Enrol a person (409 in a reported or rejected circle, or twice)",
                permission: P.circleWrite,
                parameters: [O.idParameter()],
                body: O.object(["personId": id, "on": O.date], required: ["personId"]),
                status: 201,
                response: O.object(["personIds": ["type": "array", "items": id]])
            ),
        ],
        "/circles/{id}/state": [
            "post": O.operation(
                "planned → running → completed → reported, or rejected (with a reason); reporting while a rule fails needs overrideReason and education.circle.override; completing may record formedCooperative",
                permission: P.circleWrite,
                parameters: [O.idParameter()],
                body: O.object(
                    [
                        "state": O.ref("EducationCircleState"), "reason": text, "overrideReason": text, "formedCooperative": text,
                        "formedCooperativeId": id, "on": O.date,
                    ],
                    required: ["state"]
                ),
                response: O.ref("EducationCircle")
            )
        ],
        "/circles/{id}/compliance": [
            "get": O.operation(
                "Every grant rule (DOMAIN.md 6–11) with pass or fail and the evidence, and who counts",
                permission: P.read,
                parameters: [O.idParameter()],
                response: ["type": "object"]
            )
        ],
        "/circles/{id}/meetings": [
            "get": O.operation(
                "Meetings with study hours and attendance",
                permission: P.read,
                parameters: [O.idParameter()],
                response: O.list(of: "EducationMeeting")
            ),
            "post": O.operation(
                "Record a meeting (1–720 minutes) of a planned or running circle",
                permission: P.meetingWrite,
                parameters: [O.idParameter()],
                body: O.object(
                    ["startsAt": ["type": "string", "example": "2001-03-05T18:00"], "minutes": ["type": "integer"]],
                    required: ["startsAt", "minutes"]
                ),
                status: 201,
                response: O.ref("EducationMeeting")
            ),
        ],
        "/meetings/{id}/attendance": [
            "put": O.operation(
                "Who was present (enrolled people only; the rest are absent)",
                permission: P.meetingWrite,
                parameters: [O.idParameter()],
                body: O.object(["presentIds": ["type": "array", "items": id]], required: ["presentIds"]),
                response: O.ref("EducationMeeting")
            )
        ],
        "/circles/{id}/report": [
            "get": O.operation(
                "Meetings, study hours and counted participants by gender",
                permission: P.read,
                parameters: [O.idParameter()],
                response: ["type": "object"]
            )
        ],
        "/circles/{id}/attendance.csv": [
            "get": O.operation(
                "The signed attendance list as CSV; identityNumbers=full (education.attendance.identityNumbers) shows full numbers, audited",
                permission: P.read,
                parameters: [O.idParameter(), O.queryParameter("identityNumbers", "full for full identity numbers")],
                response: text
            )
        ],
        "/reports/period": [
            "get": O.operation(
                "Per study association: circles, meetings, study hours and unique participants in a period (CSV with format=csv)",
                permission: P.read,
                parameters: [
                    O.queryParameter("from", "First day", schema: O.date), O.queryParameter("to", "Last day", schema: O.date),
                    O.queryParameter("studyAssociationId", "Only this study association", schema: id), O.queryParameter("format", "csv"),
                ],
                response: ["type": "object"]
            )
        ],
    ]

    static let schemas: [String: JSONValue] = [
        "EducationCircleState": O.enumeration(CircleState.allCases.map(\.rawValue)),
        "EducationCircle": O.object([
            "id": id, "studyAssociationId": id, "leaderId": id, "assistantId": id, "subject": text, "studyPlan": text, "aimsCooperativeId": id,
            "plannedStart": O.date, "plannedEnd": O.date, "state": O.ref("EducationCircleState"), "rejectionReason": text,
            "overrideReason": text, "overrideBy": text, "formedCooperative": text,
        ]),
        "EducationMeeting": O.object([
            "id": id, "circleId": id, "startsAt": text, "minutes": ["type": "integer"], "studyHours": ["type": "integer"],
            "presentIds": ["type": "array", "items": id], "absentIds": ["type": "array", "items": id],
        ]),
    ]
}
