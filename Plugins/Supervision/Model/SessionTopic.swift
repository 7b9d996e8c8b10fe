/// What a supervision session worked on.
enum SessionTopic: String, Sendable, Hashable, Codable, CaseIterable {
    case business
    case boardWork
    case economy
    case individualDevelopment
    case other
}
