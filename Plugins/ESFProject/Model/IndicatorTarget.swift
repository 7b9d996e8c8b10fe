import DataAccess

/// What a project promised the ESF council for one indicator of its set: a number of
/// participants in all and, where the application split it, of women and of men. Kept by the
/// indicator's code, so a new version of its definition keeps the target.
struct IndicatorTarget: Sendable, Hashable, Codable {
    var projectId: Int
    var code: String
    var total: Int
    var women: Int?
    var men: Int?

    init(projectId: Int, code: String, total: Int, women: Int? = nil, men: Int? = nil) {
        (self.projectId, self.code, self.total, self.women, self.men) = (projectId, code, total, women, men)
    }

    init(row: Row) throws {
        projectId = try row.decode("project_id")
        code = try row.decode("code")
        total = try row.decode("total")
        women = try row.decode("women")
        men = try row.decode("men")
    }
}

/// A target as the API takes it for an indicator named in the path.
struct IndicatorTargetDraft: Sendable, Hashable, Codable {
    var total: Int
    var women: Int?
    var men: Int?
}
