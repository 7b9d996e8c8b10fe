public import Hummingbird

extension RouterMethods where Context == AppRequestContext {
    /// Adds a route that answers only a user holding `permission`: 401 without a valid token,
    /// 403 without the permission. Every feature route is added this way, so none is left open.
    ///
    /// ```swift
    /// group.on("organisations/{id}", method: .get, requiring: RegistryPermissions.organisationRead) { request, context, principal in
    ///     …
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - path: The path under the group.
    ///   - method: The HTTP method.
    ///   - permission: The permission the caller must hold.
    ///   - handler: The handler; it receives the checked principal.
    @discardableResult
    public func on<Output: ResponseGenerator>(
        _ path: RouterPath,
        method: HTTPRequest.Method,
        requiring permission: Permission,
        use handler: @escaping @Sendable (Request, AppRequestContext, Principal) async throws -> Output
    ) -> Self {
        on(path, method: method) { request, context -> Output in
            let principal = try context.require(permission)
            return try await handler(request, context, principal)
        }
    }
}
