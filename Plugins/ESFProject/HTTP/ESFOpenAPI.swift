import PluginKit

/// The ESF feature's part of `/openapi.json`.
enum ESFOpenAPI {
    typealias O = OpenAPIPart
    typealias P = ESFPermissions

    static let part = OpenAPIPart(paths: paths, schemas: schemas)

    static let id: JSONValue = ["type": "integer", "format": "int64"]
    static let decimal: JSONValue = ["type": "number"]
    static let text: JSONValue = ["type": "string"]
    static let month = O.queryParameter("month", "YYYY-MM")
    static let monthPath: JSONValue = [
        "name": "month", "in": "path", "required": true, "schema": ["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"],
    ]
    static let csv: JSONValue = ["type": "string", "description": "text/csv"]

    static let paths: [String: JSONValue] = [
        "/projects": [
            "get": O.operation(
                "ESF projects",
                permission: P.read,
                parameters: [O.queryParameter("state", "Only in this state", schema: O.ref("ESFProjectState"))] + O.pageParameters,
                response: O.page(of: "ESFProject")
            ),
            "post": O.operation(
                "Record an applied-for project",
                permission: P.projectWrite,
                body: O.ref("ESFProjectDraft"),
                status: 201,
                response: O.ref("ESFProject")
            ),
        ],
        "/projects/{id}": ["get": O.operation("A project", permission: P.read, parameters: [O.idParameter()], response: O.ref("ESFProject"))],
        "/projects/{id}/state": [
            "post": O.operation(
                "Move the project one step: applied → granted → running → closing → closed (409 otherwise)",
                permission: P.projectWrite,
                parameters: [O.idParameter()],
                body: O.object(["state": O.ref("ESFProjectState")], required: ["state"]),
                response: O.ref("ESFProject")
            )
        ],
        "/projects/{id}/progress": [
            "get": O.operation(
                "Jobs toward the target: count, by gender, employer and month, straight-line projection, on track",
                permission: P.read,
                parameters: [O.idParameter(), O.queryParameter("asOf", "The day (default today)", schema: O.date)],
                response: O.ref("ESFJobProgress")
            )
        ],
        "/indicator-sets": ["get": O.operation("The loaded indicator sets", permission: P.read, response: O.list(of: "ESFIndicatorSetName"))],
        "/indicator-sets/{set}": [
            "get": O.operation(
                "The definitions of a set",
                permission: P.read,
                parameters: [O.idParameter("set")],
                response: O.list(of: "ESFIndicatorDefinition")
            ),
            "put": O.operation(
                "Load or replace a set (the 2021–2027 set is data, not code)",
                permission: P.indicatorsWrite,
                parameters: [O.idParameter("set")],
                body: ["type": "array", "items": O.ref("ESFIndicatorDefinition")],
                response: O.list(of: "ESFIndicatorDefinition")
            ),
        ],
        "/projects/{id}/participations": [
            "get": O.operation(
                "A project's participations (special categories only for the coordinator)",
                permission: P.read,
                parameters: [O.idParameter(), O.queryParameter("activeOn", "Only those in the project that day", schema: O.date)] + O.pageParameters,
                response: O.page(of: "ESFParticipation")
            ),
            "post": O.operation(
                "A person enters (201), or re-enters keeping the first start (200, rule 13)",
                permission: P.participationWrite,
                parameters: [O.idParameter()],
                body: O.ref("ESFParticipationDraft"),
                status: 201,
                response: O.ref("ESFParticipation")
            ),
        ],
        "/participations/{id}": [
            "get": O.operation("A participation", permission: P.read, parameters: [O.idParameter()], response: O.ref("ESFParticipation"))
        ],
        "/participations/{id}/exit": [
            "post": O.operation(
                "Record the end and the results measured within four weeks",
                permission: P.participationWrite,
                parameters: [O.idParameter()],
                body: O.object(
                    ["on": O.date, "results": ["type": "array", "items": O.ref("ESFExitResult")], "recordedOn": O.date],
                    required: ["on"]
                ),
                response: O.ref("ESFParticipation")
            )
        ],
        "/participations/{id}/six-month-results": [
            "post": O.operation(
                "Record the results six months after the end (422 before then)",
                permission: P.participationWrite,
                parameters: [O.idParameter()],
                body: O.object(["results": ["type": "array", "items": O.ref("ESFSixMonthResult")], "recordedOn": O.date], required: ["results"]),
                response: O.ref("ESFParticipation")
            )
        ],
        "/projects/{id}/jobs": [
            "get": O.operation(
                "A project's jobs",
                permission: P.read,
                parameters: [O.idParameter(), O.queryParameter("employerId", "Only this employer's", schema: id)] + O.pageParameters,
                response: O.page(of: "ESFJob")
            ),
            "post": O.operation(
                "Record a job in a social enterprise",
                permission: P.jobWrite,
                parameters: [O.idParameter()],
                body: O.ref("ESFJobDraft"),
                status: 201,
                response: O.ref("ESFJob")
            ),
        ],
        "/jobs/{id}": ["get": O.operation("A job", permission: P.read, parameters: [O.idParameter()], response: O.ref("ESFJob"))],
        "/projects/{id}/imports": [
            "post": O.operation(
                "Import participants or jobs from CSV (text/csv body); every bad row is listed in `errors` and nothing is stored",
                permission: P.importRun,
                parameters: [O.idParameter()],
                body: csv,
                status: 201,
                response: O.ref("ESFImportReport")
            )
        ],
        "/projects/{id}/indicators": [
            "get": O.operation(
                "Every indicator of the project's set for a period, split by gender (JSON, or CSV with format=csv)",
                permission: P.read,
                parameters: [
                    O.idParameter(), O.queryParameter("from", "First day", schema: O.date), O.queryParameter("to", "Last day", schema: O.date),
                    O.queryParameter("format", "csv for CSV"),
                ],
                response: O.ref("ESFIndicatorReport")
            )
        ],
        "/projects/{id}/monthly-reports": [
            "get": O.operation(
                "The monthly participant reports with state and due day",
                permission: P.read,
                parameters: [O.idParameter()],
                response: O.list(of: "ESFMonthlyReport")
            )
        ],
        "/projects/{id}/monthly-reports/{month}/submit": [
            "post": O.operation(
                "Mark a month's report submitted",
                permission: P.reportWrite,
                parameters: [O.idParameter(), monthPath],
                response: O.ref("ESFMonthlyReport")
            )
        ],
        "/projects/{id}/monthly-reports/{month}/reopen": [
            "post": O.operation(
                "Re-open a submitted month for correction, and every later submitted month (rule 16)",
                permission: P.reportWrite,
                parameters: [O.idParameter(), monthPath],
                body: O.object(["reason": text], required: ["reason"]),
                response: O.list(of: "ESFMonth")
            )
        ],
        "/projects/{id}/monthly-reports/{month}/export": [
            "get": O.operation(
                "The month's participants as CSV (audited); identityNumbers=full needs esf.report.identityNumbers",
                permission: P.read,
                parameters: [O.idParameter(), monthPath, O.queryParameter("identityNumbers", "full for full identity numbers")],
                response: csv
            )
        ],
        "/reminders": [
            "get": O.operation(
                "Monthly reports due within reminderDays or overdue",
                permission: P.read,
                parameters: [
                    O.queryParameter("projectId", "Only this project", schema: id),
                    O.queryParameter("asOf", "The day (default today)", schema: O.date),
                ],
                response: O.list(of: "ESFMonthlyReport")
            )
        ],
        "/projects/{id}/costs": [
            "get": O.operation(
                "Costs booked in a period",
                permission: P.read,
                parameters: [
                    O.idParameter(), O.queryParameter("from", "First day", schema: O.date), O.queryParameter("to", "Last day", schema: O.date),
                ],
                response: O.list(of: "ESFCost")
            ),
            "post": O.operation(
                "Book a cost (staff: hours × unit cost; indirect costs are computed, never booked)",
                permission: P.costWrite,
                parameters: [O.idParameter()],
                body: O.ref("ESFCostDraft"),
                status: 201,
                response: O.ref("ESFCost")
            ),
        ],
        "/projects/{id}/claims": [
            "get": O.operation("Payment claims", permission: P.read, parameters: [O.idParameter()], response: O.list(of: "ESFClaim")),
            "post": O.operation(
                "Open a draft claim for a period",
                permission: P.costWrite,
                parameters: [O.idParameter()],
                body: O.object(["from": O.date, "to": O.date], required: ["from", "to"]),
                status: 201,
                response: O.ref("ESFClaim")
            ),
        ],
        "/claims/{id}": [
            "get": O.operation("A claim with its totals", permission: P.read, parameters: [O.idParameter()], response: O.ref("ESFClaim"))
        ],
        "/claims/{id}/state": [
            "post": O.operation(
                "draft → submitted (totals frozen, period closed) → paid",
                permission: P.costWrite,
                parameters: [O.idParameter()],
                body: O.object(["state": O.ref("ESFClaimState"), "on": O.date, "paidAmount": decimal], required: ["state", "on"]),
                response: O.ref("ESFClaim")
            )
        ],
    ]

    static let schemas: [String: JSONValue] = [
        "ESFProjectState": O.enumeration(ProjectState.allCases.map(\.rawValue)),
        "ESFClaimState": O.enumeration(Claim.State.allCases.map(\.rawValue)),
        "ESFEntryStatus": O.enumeration(EntryStatus.allCases.map(\.rawValue)),
        "ESFExitResult": O.enumeration(ExitResult.allCases.map(\.rawValue)),
        "ESFSixMonthResult": O.enumeration(SixMonthResult.allCases.map(\.rawValue)),
        "ESFCostCategory": O.enumeration(CostCategory.allCases.map(\.rawValue)),
        "ESFIndicatorSetName": text,
        "ESFMonth": text,
        "ESFProjectDraft": O.object(
            [
                "caseNumber": text, "name": text, "ownerId": id, "from": O.date, "to": O.date, "programmeArea": text, "euSharePercent": decimal,
                "indicatorSet": text, "jobsTarget": id, "jobsTargetOn": O.date, "participantsTarget": id, "participantsTargetOn": O.date,
                "budget": ["type": "array", "items": O.object(["category": O.ref("ESFCostCategory"), "amount": decimal])],
            ],
            required: ["caseNumber", "name", "ownerId", "from", "to", "programmeArea"]
        ),
        "ESFProject": ["type": "object", "description": "A project: the draft's fields plus id and state"],
        "ESFParticipationDraft": O.object(
            [
                "personId": id, "from": O.date, "to": O.date, "entryStatus": O.ref("ESFEntryStatus"),
                "educationLevel": O.enumeration(EducationLevel.allCases.map(\.rawValue)), "homeless": ["type": "boolean"],
                "specialCategories": O.object(
                    ["migrantBackground": ["type": "boolean"], "disability": ["type": "boolean"], "otherDisadvantaged": ["type": "boolean"]]
                ),
            ],
            required: ["personId", "from", "entryStatus"]
        ),
        "ESFParticipation": ["type": "object", "description": "A participation: first start, end, entries, status at entry, attributes, results"],
        "ESFJobDraft": O.object(
            [
                "personId": id, "employerId": id, "from": O.date, "to": O.date,
                "employmentForm": O.enumeration(EmploymentForm.allCases.map(\.rawValue)), "sharePercent": decimal,
            ],
            required: ["personId", "employerId", "from", "employmentForm", "sharePercent"]
        ),
        "ESFJob": ["type": "object", "description": "A job: the draft's fields plus id and projectId"],
        "ESFJobProgress": ["type": "object", "description": "jobs, byGender, byEmployer, byMonth, projected, onTrack"],
        "ESFIndicatorDefinition": O.object(
            [
                "code": text, "kind": O.enumeration(["output", "result"]), "name": text, "basis": O.enumeration(["entry", "exit"]),
                "criterion": [
                    "type": "object",
                    "description": "entryStatus, ageBelow, ageAbove, educationLevel, attributes, anyAttribute, exitResults, sixMonthResults",
                ],
                "special": ["type": "boolean"],
            ],
            required: ["code", "kind", "name", "basis", "criterion", "special"]
        ),
        "ESFIndicatorReport": ["type": "object", "description": "indicators: code, kind, name, total, women, men, other, restricted"],
        "ESFMonthlyReport": ["type": "object", "description": "month, version, state (open, submitted, superseded), dueOn, overdue, started, ended"],
        "ESFImportReport": ["type": "object", "description": "kind, rows, created, reentered, unchanged, peopleRegistered, alreadyImported"],
        "ESFCostDraft": O.object(
            [
                "category": O.ref("ESFCostCategory"), "on": O.date, "amount": decimal, "hours": decimal, "unitCost": decimal, "annualCost": decimal,
                "description": text,
            ],
            required: ["category", "on", "description"]
        ),
        "ESFCost": ["type": "object", "description": "A booked cost"],
        "ESFClaim": ["type": "object", "description": "A claim: period, state, totals by category, eligible, euAmount, coFinancing"],
    ]
}
