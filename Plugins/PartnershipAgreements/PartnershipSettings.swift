import Foundation
import PluginKit

/// The `features.partnerships` settings.
struct PartnershipSettings: Sendable, Hashable {
    /// Days before a review date, an end or a report date that it is reported as due (rule 21).
    var reminderDays = 60
    /// The largest attachment accepted, in bytes.
    var maxAttachmentBytes = 10_485_760
    /// The content types an attachment may have.
    var allowedContentTypes: [String] = Self.defaultContentTypes

    static let defaultContentTypes = [
        "application/pdf", "image/png", "image/jpeg", "text/plain",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
    ]

    init() {}

    /// Reads the section; `reminder_days`, `max_attachment_bytes` and `allowed_content_types` are
    /// accepted too. The content types are a comma-separated list.
    init(section: ConfigSection) {
        func key(_ name: String, alias: String) -> String { section.contains(alias) ? alias : name }
        reminderDays = section.int(key("reminderDays", alias: "reminder_days"), default: 60, range: 1...3650)
        maxAttachmentBytes = section.int(
            key("maxAttachmentBytes", alias: "max_attachment_bytes"),
            default: 10_485_760,
            range: 1...104_857_600
        )
        let typesKey = key("allowedContentTypes", alias: "allowed_content_types")
        if let text = section.optionalString(typesKey) {
            let types = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
            if types.isEmpty || types.contains(where: { !$0.contains("/") }) {
                section.problem(typesKey, "expected a comma-separated list of content types such as application/pdf, image/png")
            } else {
                allowedContentTypes = types
            }
        }
    }
}
