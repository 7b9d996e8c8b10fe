import DataAccess

extension EducationStore {
    /// A person was erased (`registry.personErased`): the circles they lead, assist or are
    /// enrolled in get a new facts version, so no host keeps a verdict naming them
    /// (``ComplianceCache``). Nothing else changes: who counts is decided by the birth year,
    /// which erasure keeps. Idempotent.
    ///
    /// - Returns: How many circles were touched.
    /// - Throws: ``DatabaseError``.
    func personErased(_ personId: Int, in tx: Transaction) throws -> Int {
        try tx.execute(
            """
            UPDATE education.circles c SET facts_version = c.facts_version + 1
            WHERE c.leader_id = \(personId) OR c.assistant_id = \(personId)
               OR c.id IN (SELECT e.circle_id FROM education.enrolments e WHERE e.person_id = \(personId))
            """
        )
    }
}
