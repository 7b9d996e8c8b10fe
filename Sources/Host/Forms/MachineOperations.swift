/// The write operations of the API documents that get no generic page form, each with the reason:
/// the one place a write without a form is allowed (the form coverage test holds every other
/// write operation to a form with its texts).
enum MachineOperations {
    /// Reasons by `<feature>.<operationId>`.
    static let reasons: [String: String] = [
        "registry.lookUpPerson":
            "a read sent as POST so that the identity number stays out of addresses and logs; the people page has its own lookup form",
        "esf.loadIndicatorSet":
            "an indicator set is the ESF council's published definition list, loaded whole as JSON by the coordinator's tooling",
        "esf.importFile":
            "a CSV file, uploaded on the project's import page, which shows the row-level error report",
        "partnerships.attachAgreementDocument":
            "a file, uploaded on the agreement's page (multipart), not a JSON body",
    ]

    /// Why `operation` of `feature` has no generic form; `nil` when it has one.
    static func reason(feature: String, operation: String) -> String? { reasons["\(feature).\(operation)"] }
}
