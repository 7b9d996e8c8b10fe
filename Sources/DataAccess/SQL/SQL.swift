/// A SQL statement whose interpolated values are always sent as bound parameters.
///
/// Every value written with `\(…)` becomes a `$n` placeholder and travels separately from
/// the SQL text (`PQexecParams`), so no value can change the statement's meaning. There is
/// no API that splices a value into the text.
///
/// ```swift
/// let rows = try await database.query(
///     "SELECT id, name FROM registry.organisations WHERE number = \(number) AND state = \(state)"
/// )
/// ```
///
/// Fragments compose: interpolating another ``SQL`` appends its text and renumbers its
/// parameters. Identifiers that cannot be parameters (a schema or database name chosen at
/// run time) go through ``StringInterpolation/appendInterpolation(identifier:)``, which quotes
/// them.
public struct SQL: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    @usableFromInline
    enum Piece: Sendable, Hashable {
        case text(String)
        case parameter(Int)
    }

    private(set) var pieces: [Piece]
    /// The SQL text with `$1…$n` placeholders, as sent to PostgreSQL. Built with the statement,
    /// not on each use: every run of a statement reads it (to send it, or to find its prepared
    /// name).
    public private(set) var text: String
    /// The bound parameter values, in `$1…$n` order.
    public private(set) var bindings: [SQLBinding]
    /// Whether PostgreSQL plans the statement for each run's values instead of reusing a prepared
    /// statement's generic plan; see ``plannedForEachRun()``.
    public private(set) var plansForEachRun = false

    /// Creates a statement from literal text with no parameters.
    public init(stringLiteral value: String) {
        self.pieces = [.text(value)]
        self.text = value
        self.bindings = []
    }

    /// Creates a statement from an interpolation; see ``StringInterpolation``.
    public init(stringInterpolation: StringInterpolation) {
        self.pieces = stringInterpolation.pieces
        self.text = stringInterpolation.text
        self.bindings = stringInterpolation.bindings
        self.plansForEachRun = stringInterpolation.plansForEachRun
    }

    /// The same statement, planned by PostgreSQL for each run's values rather than prepared once.
    ///
    /// Statements with parameters are prepared once per connection and run with a generic plan
    /// that ignores the values. That is right for lookups by
    /// key and wrong where the best plan depends on the value: `name LIKE '%…%'` is fast through a
    /// trigram index for a rare pattern and through an ordered scan for a common one. Such queries
    /// opt out of preparation with this.
    public func plannedForEachRun() -> SQL {
        var copy = self
        copy.plansForEachRun = true
        return copy
    }

    /// The SQL text with placeholders; values are never shown, so this is safe to log.
    public var description: String { text }

    /// Appends another statement fragment, renumbering its parameters.
    public mutating func append(_ other: SQL) {
        SQL.append(other, to: &pieces, text: &text, bindings: &bindings)
        plansForEachRun = plansForEachRun || other.plansForEachRun
    }

    static func append(_ fragment: SQL, to pieces: inout [Piece], text: inout String, bindings: inout [SQLBinding]) {
        let offset = bindings.count
        for piece in fragment.pieces {
            switch piece {
            case .text(let literal):
                pieces.append(.text(literal))
                text += literal
            case .parameter(let index):
                pieces.append(.parameter(index + offset))
                text += "$\(index + offset)"
            }
        }
        bindings += fragment.bindings
    }

    /// Joins fragments with a separator, for example a list of conditions joined by `AND`.
    public static func joined(_ fragments: [SQL], separator: String) -> SQL {
        var result: SQL = ""
        for (index, fragment) in fragments.enumerated() {
            if index > 0 { result.append(SQL(stringLiteral: separator)) }
            result.append(fragment)
        }
        return result
    }

    /// Two fragments, one after the other.
    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        var result = lhs
        result.append(rhs)
        return result
    }

    /// Builds a ``SQL`` value; each interpolation binds a parameter.
    ///
    /// Its methods are inlinable: a statement is built in the feature's module, and there they
    /// are specialised for each value's type instead of going through generic metadata at run time.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        @usableFromInline var pieces: [Piece] = []
        @usableFromInline var text = ""
        @usableFromInline var bindings: [SQLBinding] = []
        @usableFromInline var plansForEachRun = false

        /// Reserves room for the literal text and the interpolations.
        @inlinable
        public init(literalCapacity: Int, interpolationCount: Int) {
            pieces.reserveCapacity(interpolationCount * 2 + 1)
            text.reserveCapacity(literalCapacity + interpolationCount * 3)
            bindings.reserveCapacity(interpolationCount)
        }

        /// Appends literal SQL text.
        @inlinable
        public mutating func appendLiteral(_ literal: String) {
            guard !literal.isEmpty else { return }
            pieces.append(.text(literal))
            text += literal
        }

        /// Binds a value as the next parameter.
        @inlinable
        public mutating func appendInterpolation(_ value: some SQLEncodable) {
            appendParameter(SQLBinding(value))
        }

        /// Binds an optional value as the next parameter; `nil` is SQL `NULL`.
        @inlinable
        public mutating func appendInterpolation<Value: SQLEncodable>(_ value: Value?) {
            if let value { appendParameter(SQLBinding(value)) } else { appendParameter(SQLBinding(null: Value.sqlType)) }
        }

        @inlinable
        mutating func appendParameter(_ binding: SQLBinding) {
            bindings.append(binding)
            pieces.append(.parameter(bindings.count))
            text += "$\(bindings.count)"
        }

        /// Appends a fragment, renumbering its parameters.
        public mutating func appendInterpolation(_ fragment: SQL) {
            SQL.append(fragment, to: &pieces, text: &text, bindings: &bindings)
            plansForEachRun = plansForEachRun || fragment.plansForEachRun
        }

        /// Appends a quoted identifier (schema, table or database name); embedded quotes are doubled.
        public mutating func appendInterpolation(identifier: String) {
            let quoted = SQL.quoteIdentifier(identifier)
            pieces.append(.text(quoted))
            text += quoted
        }
    }

    /// Quotes an identifier the way PostgreSQL reads it: `"name"`, with `"` doubled.
    public static func quoteIdentifier(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
