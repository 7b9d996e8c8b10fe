import PageKit

extension ReportKind {
    /// The features whose figures make up the report; those switched off are named as missing.
    var features: [String] {
        switch self {
        case .support: ["registry", "supervision", "education", "partnerships", "esf"]
        case .beforeAndAfter: ["registry", "supervision", "esf"]
        case .money: ["registry", "supervision", "partnerships", "esf"]
        case .provider: ["supervision", "partnerships"]
        }
    }

    /// The report's path under `/reports`.
    var path: String {
        switch self {
        case .support: "support"
        case .beforeAndAfter: "before-and-after"
        case .money: "money"
        case .provider: "provider"
        }
    }
}
