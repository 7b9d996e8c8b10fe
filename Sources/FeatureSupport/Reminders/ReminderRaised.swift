public import PluginKit

/// The event `<feature>.reminderRaised`: a ``ReminderNotice`` published by the feature `Source`
/// in the transaction that raised the reminder. Its JSON is the notice's, field for field.
///
/// ```swift
/// try events.publish(ReminderRaised<SupervisionPlugin>(notice), in: tx)
/// ```
public struct ReminderRaised<Source: FeaturePlugin>: FeatureEvent {
    /// `<Source.id>.reminderRaised`.
    public static var name: String { ReminderNotice.eventName(of: Source.id) }
    /// The reminder.
    public var notice: ReminderNotice

    /// Wraps a notice for publishing.
    ///
    /// - Parameter notice: The reminder.
    public init(_ notice: ReminderNotice) { self.notice = notice }

    /// Decodes the notice's fields.
    public init(from decoder: any Decoder) throws { notice = try ReminderNotice(from: decoder) }

    /// Encodes the notice's fields.
    public func encode(to encoder: any Encoder) throws { try notice.encode(to: encoder) }
}
