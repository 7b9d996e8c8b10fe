import DataAccess

/// The form of a job in a social enterprise.
enum EmploymentForm: String, Sendable, Hashable, Codable, CaseIterable {
    case ordinary
    case wageSubsidy
    case newStartJob
    case other
}

extension EmploymentForm: SQLEncodable, SQLDecodable {}
