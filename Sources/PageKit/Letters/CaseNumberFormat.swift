public import DataAccess
public import PluginKit

/// How the municipality writes its case numbers (diarienummer): a series (the committee's
/// letters, `SRN`) and a pattern of `{series}`, `{year}` and `{number}` (`{number:5}` pads it
/// with zeros to five digits), e.g. `{series} {year}/{number:5}` → `SRN 2015/00123`.
///
/// A case that has a number (typed in from the municipality's own diarium, as the agreements'
/// and pots' `caseNumber` always were) keeps it; a decision on a case without one draws the next
/// number of the series for the decision's year (``draw(on:for:actor:in:)``).
public struct CaseNumberFormat: Sendable, Hashable {
    /// A piece of the pattern.
    enum Part: Sendable, Hashable {
        case text(String)
        case series
        case year
        case number(width: Int)
    }

    /// The series, e.g. `SRN`.
    public let series: String
    /// The pattern as configured.
    public let pattern: String
    let parts: [Part]

    /// The shipped default: `DNR {year}/{number:5}`.
    public static let standard = CaseNumberFormat(series: "DNR", parts: [.series, .text(" "), .year, .text("/"), .number(width: 5)])

    init(series: String, parts: [Part]) {
        self.series = series
        self.parts = parts
        self.pattern = parts.map { part in
            switch part {
            case .text(let text): return text
            case .series: return "{series}"
            case .year: return "{year}"
            case .number(let width): return width > 1 ? "{number:\(width)}" : "{number}"
            }
        }.joined()
    }

    /// Reads a pattern.
    ///
    /// - Parameters:
    ///   - series: The series (1–20 characters, no braces).
    ///   - pattern: The pattern; it names `{number}` once, and `{year}` (numbers start again
    ///     from 1 each year, so without the year they would repeat).
    /// - Throws: ``PageSetupError`` saying what is wrong with the pattern or the series.
    public init(series: String, pattern: String) throws(PageSetupError) {
        guard (1...20).contains(series.count), !series.contains("{"), !series.contains("}") else {
            throw PageSetupError("the series must be 1 to 20 characters without braces, not '\(series)'")
        }
        var parts: [Part] = []
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{") {
            if open > rest.startIndex { parts.append(.text(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw PageSetupError("'\(pattern)' has a { without its }")
            }
            let token = rest[rest.index(after: open)..<close]
            switch token {
            case "series": parts.append(.series)
            case "year": parts.append(.year)
            case "number": parts.append(.number(width: 1))
            default:
                guard token.hasPrefix("number:"), let width = Int(token.dropFirst("number:".count)), (1...9).contains(width) else {
                    throw PageSetupError("'{\(token)}' is not {series}, {year}, {number} or {number:N} (N 1…9) in '\(pattern)'")
                }
                parts.append(.number(width: width))
            }
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        guard parts.filter({ if case .number = $0 { true } else { false } }).count == 1, parts.contains(.year) else {
            throw PageSetupError("'\(pattern)' must name {number} (or {number:N}) once and {year}")
        }
        self.init(series: series, parts: parts)
        guard self.format(year: 2000, number: 999_999_999).count <= 40 else {
            throw PageSetupError("'\(pattern)' makes case numbers longer than 40 characters")
        }
    }

    /// The case number `number` of `year`.
    public func format(year: Int, number: Int) -> String {
        parts.map { part in
            switch part {
            case .text(let text): return text
            case .series: return series
            case .year: return String(year)
            case .number(let width):
                let digits = String(number)
                return String(repeating: "0", count: max(0, width - digits.count)) + digits
            }
        }.joined()
    }
}

extension CaseNumberFormat {
    /// Draws the next case number of the series for the year of `day`, in `tx`.
    ///
    /// The diarium is the audit log itself: each number drawn is an audit row (`kernel`,
    /// `caseNumberSeries`, id `SRN 2015`) naming the case it went to, so a number is never given
    /// twice, whichever feature or host draws it, and the log says who drew which. Drawing takes
    /// a transaction-scoped advisory lock on the series and year, so two decisions at once wait
    /// for each other instead of counting the same rows.
    ///
    /// - Parameters:
    ///   - day: The day of the decision; its year is the number's.
    ///   - record: The case the number goes to (feature, entity and id), for the log.
    ///   - actor: Who made the decision.
    ///   - tx: The decision's transaction.
    /// - Returns: The case number, e.g. `SRN 2015/00123`.
    /// - Throws: ``DatabaseError``.
    public func draw(on day: LocalDate, for record: (feature: String, entity: String, id: Int), actor: Actor, in tx: Transaction) throws -> String {
        let key = "\(series) \(day.year)"
        _ = try tx.query("SELECT pg_advisory_xact_lock(hashtextextended(\("kooperator.caseNumber " + key), 0)) AS locked")
        let drawn = try tx.query(
            """
            SELECT count(*) AS n FROM kernel.audit_log WHERE entity_id = \(key) AND feature = 'kernel' AND entity = 'caseNumberSeries'
            """
        ).single().decode("n", as: Int.self)
        let caseNumber = format(year: day.year, number: drawn + 1)
        try tx.audit(
            actor,
            feature: "kernel",
            entity: "caseNumberSeries",
            action: "draw",
            records: [(id: key, after: DrawnCaseNumber(caseNumber: caseNumber, number: drawn + 1, record: record))]
        )
        return caseNumber
    }
}

/// A case number drawn, as its audit row tells it.
struct DrawnCaseNumber: Auditable {
    let caseNumber: String
    let number: Int
    let record: (feature: String, entity: String, id: Int)

    var auditFields: [String: JSONValue] {
        [
            "caseNumber": .string(caseNumber), "number": .int(number), "feature": .string(record.feature),
            "entity": .string(record.entity), "id": .int(record.id),
        ]
    }
}
