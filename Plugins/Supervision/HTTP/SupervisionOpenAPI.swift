import PluginKit

/// The supervision feature's part of `/openapi.json`.
enum SupervisionOpenAPI {
    typealias O = OpenAPIPart
    typealias P = SupervisionPermissions

    static let part = OpenAPIPart(paths: paths, schemas: schemas)

    static let date = O.date
    static let id: JSONValue = ["type": "integer", "format": "int64"]
    static let decimal: JSONValue = ["type": "number"]
    static let reportParameters = [
        O.queryParameter("period", "YYYY, YYYY-Qn or YYYY-MM (default: the month of asOf)"),
        O.queryParameter("asOf", "The day the report is for (default today)", schema: date),
    ]

    static let paths: [String: JSONValue] = [
        "/assignments": [
            "get": O.operation(
                "Assignments of the cooperatives within reach",
                permission: P.read,
                parameters: [
                    O.queryParameter("cooperativeId", "Only this cooperative's", schema: id),
                    O.queryParameter("providerId", "Only this provider's", schema: id),
                    O.queryParameter("state", "Only in this state", schema: O.ref("SupervisionAssignmentState")),
                ] + O.pageParameters,
                response: O.page(of: "SupervisionAssignment")
            ),
            "post": O.operation(
                "Record an assignment (proposed, or active)",
                permission: P.assignmentWrite,
                body: O.ref("SupervisionAssignmentDraft"),
                status: 201,
                response: O.ref("SupervisionAssignment")
            ),
        ],
        "/assignments/{id}": [
            "get": O.operation("An assignment", permission: P.read, parameters: [O.idParameter()], response: O.ref("SupervisionAssignment"))
        ],
        "/assignments/{id}/state": [
            "post": O.operation(
                "Change the state: proposed → active → underReview → renewed | ended (409 for any other change)",
                permission: P.assignmentWrite,
                parameters: [O.idParameter()],
                body: O.object(
                    ["state": O.ref("SupervisionAssignmentState"), "on": date, "reason": ["type": "string"], "to": date, "reviewOn": date],
                    required: ["state"]
                ),
                response: O.ref("SupervisionAssignment")
            )
        ],
        "/handovers": [
            "post": O.operation(
                "Move every assignment in force of one provider to another from a day, all or nothing (preview: true changes nothing)",
                permission: P.handover,
                body: O.object(
                    ["fromProviderId": id, "toProviderId": id, "on": date, "supervisorId": id, "preview": ["type": "boolean"]],
                    required: ["fromProviderId", "toProviderId", "on"]
                ),
                status: 201,
                response: O.ref("SupervisionHandover")
            )
        ],
        "/pots": [
            "get": O.operation(
                "Funding pots with spent and remaining amounts and months",
                permission: P.read,
                parameters: [O.queryParameter("cooperativeId", "Only this cooperative's", schema: id)] + O.pageParameters,
                response: O.page(of: "SupervisionPot")
            ),
            "post": O.operation(
                "Set up a funding pot",
                permission: P.potWrite,
                body: O.object(
                    [
                        "cooperativeId": id, "funderId": id, "purpose": ["type": "string"], "amount": decimal, "sharePercent": decimal, "from": date,
                        "to": date, "reviewOn": date,
                    ],
                    required: ["cooperativeId", "purpose", "amount", "sharePercent", "from", "to"]
                ),
                status: 201,
                response: O.ref("SupervisionPot")
            ),
        ],
        "/pots/{id}": [
            "get": O.operation(
                "A funding pot",
                permission: P.read,
                parameters: [O.idParameter(), O.queryParameter("asOf", "The day remaining months count from", schema: date)],
                response: O.ref("SupervisionPot")
            )
        ],
        "/pots/{id}/spending": [
            "get": O.operation(
                "The spending recorded against a pot",
                permission: P.read,
                parameters: [O.idParameter()],
                response: O.list(of: "SupervisionSpending")
            ),
            "post": O.operation(
                "Record spending (409 when more than what is left)",
                permission: P.potWrite,
                parameters: [O.idParameter()],
                body: O.ref("SupervisionSpending"),
                response: O.ref("SupervisionPot")
            ),
        ],
        "/pots/{id}/review": [
            "post": O.operation(
                "Record that the pot was re-examined; sets the next review date",
                permission: P.potWrite,
                parameters: [O.idParameter()],
                body: O.object(["nextReviewOn": date]),
                response: O.ref("SupervisionPot")
            )
        ],
        "/sessions": [
            "get": O.operation(
                "Sessions of the cooperatives within reach",
                permission: P.read,
                parameters: [
                    O.queryParameter("cooperativeId", "Only this cooperative's", schema: id),
                    O.queryParameter("assignmentId", "Only under this assignment", schema: id),
                    O.queryParameter("from", "From this day", schema: date), O.queryParameter("to", "To this day", schema: date),
                ] + O.pageParameters,
                response: O.page(of: "SupervisionSession")
            ),
            "post": O.operation(
                "Record a session under an assignment in force",
                permission: P.sessionWrite,
                body: O.ref("SupervisionSessionDraft"),
                status: 201,
                response: O.ref("SupervisionSession")
            ),
        ],
        "/sessions/{id}": [
            "get": O.operation("A session", permission: P.read, parameters: [O.idParameter()], response: O.ref("SupervisionSession"))
        ],
        "/goals": [
            "get": O.operation(
                "Development goals",
                permission: P.read,
                parameters: [
                    O.queryParameter("cooperativeId", "Only this cooperative's", schema: id),
                    O.queryParameter("state", "Only in this state", schema: O.enumeration(GoalState.allCases.map(\.rawValue))),
                ] + O.pageParameters,
                response: O.page(of: "SupervisionGoal")
            ),
            "post": O.operation(
                "Open a goal for a cooperative or one of its members",
                permission: P.goalWrite,
                body: O.object(
                    ["cooperativeId": id, "personId": id, "title": ["type": "string"], "description": ["type": "string"], "openedOn": date],
                    required: ["cooperativeId", "title"]
                ),
                status: 201,
                response: O.ref("SupervisionGoal")
            ),
        ],
        "/goals/{id}": [
            "get": O.operation("A goal", permission: P.read, parameters: [O.idParameter()], response: O.ref("SupervisionGoal"))
        ],
        "/goals/{id}/state": [
            "post": O.operation(
                "Change the state: open → inProgress → met | dropped",
                permission: P.goalWrite,
                parameters: [O.idParameter()],
                body: O.object(["state": O.enumeration(GoalState.allCases.map(\.rawValue)), "on": date], required: ["state"]),
                response: O.ref("SupervisionGoal")
            )
        ],
        "/report": [
            "get": O.operation(
                "Follow-up: hours against target, inactive cooperatives, reviews and pot ends due or overdue",
                permission: P.read,
                parameters: reportParameters,
                response: ["type": "object"]
            )
        ],
        "/report/{part}": [
            "get": O.operation(
                "One part of the follow-up (hours, inactive, due) as JSON, or as CSV with format=csv or Accept: text/csv",
                permission: P.read,
                parameters: [
                    ["name": "part", "in": "path", "required": true, "schema": O.enumeration(FollowUpCSV.Part.allCases.map(\.rawValue))],
                    O.queryParameter("format", "csv for a CSV download"),
                ] + reportParameters,
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
    ]

    static let schemas: [String: JSONValue] = [
        "SupervisionAssignmentState": O.enumeration(AssignmentState.allCases.map(\.rawValue)),
        "SupervisionAssignmentDraft": O.object(
            [
                "cooperativeId": id, "providerId": id, "supervisorId": id, "sharePercent": decimal, "from": date, "to": date,
                "fundingSource": ["type": "string"], "potId": id, "reviewOn": date, "targetHoursPerMonth": decimal,
                "state": O.enumeration(["proposed", "active"]),
            ],
            required: ["cooperativeId", "providerId", "supervisorId", "sharePercent", "from", "fundingSource"]
        ),
        "SupervisionAssignment": O.object([
            "id": id, "cooperativeId": id, "providerId": id, "supervisorId": id, "sharePercent": decimal, "from": date, "to": date,
            "fundingSource": ["type": "string"], "potId": id, "reviewOn": date, "targetHoursPerMonth": decimal,
            "state": O.ref("SupervisionAssignmentState"), "endedOn": date, "endReason": ["type": "string"], "handedOverFrom": id,
        ]),
        "SupervisionHandover": O.object([
            "id": id, "fromProviderId": id, "toProviderId": id, "on": date, "preview": ["type": "boolean"],
            "moved": [
                "type": "array",
                "items": O.object([
                    "cooperativeId": id, "cooperativeName": ["type": "string"], "endedAssignmentId": id, "newAssignmentId": id, "supervisorId": id,
                ]),
            ],
        ]),
        "SupervisionPot": O.object([
            "id": id, "cooperativeId": id, "funderId": id, "purpose": ["type": "string"], "amount": decimal, "sharePercent": decimal,
            "from": date, "to": date, "reviewOn": date, "spent": decimal, "remaining": decimal, "remainingMonths": ["type": "integer"],
        ]),
        "SupervisionSpending": O.object(["id": id, "on": date, "amount": decimal, "note": ["type": "string"]], required: ["on", "amount", "note"]),
        "SupervisionSessionDraft": O.object(
            [
                "assignmentId": id, "on": date, "minutes": ["type": "integer", "minimum": 1, "maximum": 720],
                "attendeeIds": ["type": "array", "items": id],
                "topics": ["type": "array", "items": O.enumeration(SessionTopic.allCases.map(\.rawValue))],
                "actions": ["type": "array", "items": O.object(["what": ["type": "string"], "ownerId": id, "due": date], required: ["what"])],
                "goalIds": ["type": "array", "items": id], "notes": ["type": "string"],
            ],
            required: ["assignmentId", "on", "minutes", "topics"]
        ),
        "SupervisionSession": O.object([
            "id": id, "assignmentId": id, "cooperativeId": id, "on": date, "minutes": ["type": "integer"],
            "attendeeIds": ["type": "array", "items": id],
            "topics": ["type": "array", "items": O.enumeration(SessionTopic.allCases.map(\.rawValue))],
            "actions": ["type": "array", "items": O.object(["what": ["type": "string"], "ownerId": id, "due": date])],
            "goalIds": ["type": "array", "items": id], "notes": ["type": "string"],
        ]),
        "SupervisionGoal": O.object([
            "id": id, "cooperativeId": id, "personId": id, "title": ["type": "string"], "description": ["type": "string"],
            "state": O.enumeration(GoalState.allCases.map(\.rawValue)), "openedOn": date, "closedOn": date,
            "sessionIds": ["type": "array", "items": id],
        ]),
    ]
}
