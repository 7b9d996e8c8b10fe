public import DataAccess
public import PluginKit

extension StaffDirectory {
    /// The user `id`, checked as the one responsible for a record: an active user of `role` and,
    /// when `organisation` is given, working for it (a supervisor of the assignment's provider).
    ///
    /// - Parameters:
    ///   - id: The user named in the input; `nil` names nobody.
    ///   - role: The role the responsible user must hold (`.officer`).
    ///   - organisation: The organisation they must work for, if any.
    ///   - field: The input field, for the error (`/caseworkerUserId`).
    ///   - executor: The write's transaction.
    /// - Returns: `id`.
    /// - Throws: ``FeatureError`` `.invalidInput` at `field` naming what the user is not.
    @discardableResult
    public func responsible(_ id: Int?, role: Role, organisation: Int? = nil, field: String, in executor: any SQLExecutor) throws -> Int? {
        guard let id else { return nil }
        let member = try members([id], in: executor).first
        guard let member, member.active, member.role == role, organisation.map({ member.organisationId == $0 }) ?? true else {
            let whom = organisation.map { "an active \(role.rawValue) of organisation \($0)" } ?? "an active \(role.rawValue)"
            throw FeatureError(
                .invalidInput,
                "user \(id) is not \(whom)",
                field: field,
                wording: Wording("responsibleNotStaff", ["id": String(id)])
            )
        }
        return id
    }

    /// The caller's own id when they are an active user of `role`: who a new record names as
    /// responsible when the input names nobody (an officer creating a grant is its caseworker).
    ///
    /// - Returns: The caller's user id, or `nil` (the command line, another role).
    /// - Throws: ``DatabaseError``.
    public func caller(_ actor: Actor, ifRole role: Role, in executor: any SQLExecutor) throws -> Int? {
        guard let id = actor.userID, let member = try members([id], in: executor).first else { return nil }
        return member.active && member.role == role ? id : nil
    }

    /// The display names of the users with `ids`, for a page.
    ///
    /// - Throws: ``DatabaseError``.
    public func displayNames(_ ids: [Int?], in executor: any SQLExecutor) throws -> [Int: String] {
        let wanted = Array(Set(ids.compactMap(\.self)))
        guard !wanted.isEmpty else { return [:] }
        return Dictionary(try members(wanted, in: executor).map { ($0.id, $0.displayName) }, uniquingKeysWith: { first, _ in first })
    }

    /// The id of the active user with the login `name`, of `role` and, when given, working for
    /// `organisation`: how a demo part finds the demo user it names as responsible.
    ///
    /// - Returns: The user's id, or `nil` when there is no such user.
    /// - Throws: ``DatabaseError``.
    public func activeUser(named name: String, role: Role, organisation: Int? = nil, in executor: any SQLExecutor) throws -> Int? {
        guard let member = try member(named: name, in: executor), member.active, member.role == role else { return nil }
        return organisation.map { member.organisationId == $0 } ?? true ? member.id : nil
    }
}
