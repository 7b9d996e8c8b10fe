/// An error a feature throws for the HTTP edge and the CLI to report: a code, a message safe
/// to show, the field it concerns, and the underlying cause.
///
/// The host maps codes to HTTP statuses (``Code/invalidInput`` → 422, ``Code/notFound`` → 404,
/// ``Code/conflict`` → 409, ``Code/forbidden`` → 403, ``Code/unauthenticated`` → 401,
/// ``Code/invalidCursor`` → 400, ``Code/tooManyRequests`` → 429 with `Retry-After`) and
/// renders an RFC 9457 problem body.
public struct FeatureError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: String, Hashable, Sendable {
            case invalidInput = "invalid input"
            case notFound = "not found"
            case conflict = "conflict"
            case forbidden = "forbidden"
            case unauthenticated = "unauthenticated"
            case invalidCursor = "invalid cursor"
            case tooManyRequests = "too many requests"
        }
        let base: Base

        /// The request is well-formed but a value breaks a rule.
        public static let invalidInput = Code(base: .invalidInput)
        /// The record does not exist (or is outside the caller's reach).
        public static let notFound = Code(base: .notFound)
        /// The request conflicts with the current state (a duplicate, a disallowed transition).
        public static let conflict = Code(base: .conflict)
        /// The caller lacks the permission.
        public static let forbidden = Code(base: .forbidden)
        /// The caller did not present a valid token.
        public static let unauthenticated = Code(base: .unauthenticated)
        /// A paging cursor this installation did not make (forged, altered or from another host).
        public static let invalidCursor = Code(base: .invalidCursor)
        /// The caller asked too often; ``FeatureError/retryAfter`` says when it may again.
        public static let tooManyRequests = Code(base: .tooManyRequests)

        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// A message safe to show the user.
    public let message: String
    /// The input field it concerns, as a JSON pointer-ish path (`/cooperativeID`), if any.
    public let field: String?
    /// The underlying error, for logs.
    public let cause: (any Error & Sendable)?
    /// The message as a catalogue key, for pages in the reader's language; `nil` where the
    /// English ``message`` is all there is.
    public var wording: Wording?

    /// Every bad value, when there are several (each row of a rejected CSV import); the
    /// problem body lists them under `errors`.
    public var problems: [FieldProblem] = []

    /// For ``Code/tooManyRequests``: the seconds until the caller may ask again (`Retry-After`).
    public var retryAfter: Int?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The error's kind.
    ///   - message: What is wrong, in English, safe to show.
    ///   - field: The input field it concerns (`/organisationNumber`).
    ///   - cause: The underlying error, for logs.
    ///   - wording: The message as a catalogue key, for pages.
    public init(_ code: Code, _ message: String, field: String? = nil, cause: (any Error & Sendable)? = nil, wording: Wording? = nil) {
        self.code = code
        self.message = FeatureError.printable(message)
        self.field = field
        self.cause = cause
        self.wording = wording
    }

    /// An error for several bad values at once, so the caller can mend them all in one go.
    ///
    /// - Parameters:
    ///   - code: The error's kind.
    ///   - message: A summary, safe to show (`3 rows are wrong; nothing was imported`).
    ///   - problems: Each bad value with where it is.
    public init(_ code: Code, _ message: String, problems: [FieldProblem]) {
        self.init(code, message, field: problems.first?.pointer)
        self.problems = problems
    }

    /// A record that does not exist, or that the caller may not know exists: the two answer the
    /// same, so a scoped user cannot probe for records outside its reach.
    ///
    /// - Parameters:
    ///   - entity: What was looked for, e.g. `organisation`.
    ///   - id: The id asked for.
    public static func notFound(_ entity: String, id: some CustomStringConvertible) -> FeatureError {
        FeatureError(.notFound, "no \(entity) with id \(id)", wording: "notFound")
    }

    /// `text` with every control character (a line break, a NUL that came in with the input the
    /// message quotes) written as `\u{…}`, so a message cannot break or forge a log line.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        var printable = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control {
                printable += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                printable.unicodeScalars.append(scalar)
            }
        }
        return printable
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let field, problems.isEmpty { text += " (\(field))" }
        for problem in problems { text += "\n  \(problem.pointer): \(problem.detail)" }
        return text
    }
}

/// One bad value among several: where it is (a JSON pointer such as `/lines/12/from`) and why.
public struct FieldProblem: Sendable, Hashable, Codable {
    /// Where the value is.
    public var pointer: String
    /// What is wrong with it, safe to show.
    public var detail: String
    /// The catalogue text a page shows instead of ``detail`` (`error_` + its key); not part of
    /// the API's problem body, which keeps the English ``detail``. For the package's page layer only.
    package var wording: Wording?

    /// Creates a problem.
    public init(pointer: String, detail: String, wording: Wording? = nil) {
        self.pointer = FeatureError.printable(pointer)
        self.detail = FeatureError.printable(detail)
        self.wording = wording
    }

    private enum CodingKeys: String, CodingKey {
        case pointer, detail
    }
}
