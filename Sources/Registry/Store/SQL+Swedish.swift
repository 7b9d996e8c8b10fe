public import DataAccess

extension SQL {
    /// `expression` compared in Swedish alphabetical order: Å, Ä and Ö after Z, case and accents
    /// breaking ties only. For every list and search of names, the registry's and the features':
    ///
    /// ```swift
    /// "SELECT … FROM registry.organisations o ORDER BY \(.swedish("o.name")), o.id"
    /// ```
    ///
    /// The collation `registry.swedish` is PostgreSQL's ICU collation `sv-SE` where the server has
    /// ICU, otherwise the system's `sv_SE` locale or code-point order (the registry's migration 6
    /// chooses once); the indexes on `registry.people` and `registry.organisations` (`name`, `id`)
    /// are in it, so an ordered page of names is an index scan.
    ///
    /// - Parameter expression: A text column or expression of the caller (never input).
    /// - Returns: `expression COLLATE registry.swedish`.
    public static func swedish(_ expression: SQL) -> SQL {
        "\(expression) COLLATE registry.swedish"
    }
}
