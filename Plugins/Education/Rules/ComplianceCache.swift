import Synchronization

/// The grant rules' verdicts on the circles the start page checks, kept between requests and
/// used again while a circle's facts are unchanged: its `facts_version` (raised by triggers on
/// every write to its meetings, attendance and enrolments, and when one of its people is erased,
/// so no verdict naming them outlives the erasure) and, once it is completed, the last change to
/// its participants in the registry (a birth year decides who counts) form the key
/// (``EducationStore/openCircles(limit:reach:in:)``). The settings are fixed for the process,
/// so they are not in it.
final class ComplianceCache: Sendable {
    private struct Entry {
        var key: String
        var compliance: Compliance
    }

    private let entries = Mutex<[Int: Entry]>([:])
    /// More circles than this and the cache starts over (a start page checks at most 200).
    let capacity: Int

    init(capacity: Int = 5000) { self.capacity = capacity }

    /// The verdict on circle `id` if it was reached with the same `key`.
    func compliance(ofCircle id: Int, key: String) -> Compliance? {
        entries.withLock { entries in entries[id].flatMap { $0.key == key ? $0.compliance : nil } }
    }

    /// Keeps the verdicts reached now.
    func store(_ verdicts: [(id: Int, key: String, compliance: Compliance)]) {
        entries.withLock { entries in
            if entries.count + verdicts.count > capacity { entries.removeAll(keepingCapacity: true) }
            for verdict in verdicts { entries[verdict.id] = Entry(key: verdict.key, compliance: verdict.compliance) }
        }
    }
}
