/// The four criteria of a work-integrating social enterprise (ASF, DOMAIN.md rule 22), as
/// recorded for an organisation, with the facts behind the independence criterion and the
/// wage spread.
public struct ASFCriteria: Sendable, Hashable, Codable {
    /// Integrates people far from the labour market into work and society.
    public var integratesPeopleFarFromWork: Bool
    /// The employees take part through ownership, agreements or otherwise.
    public var participationThroughOwnership: Bool
    /// Profits are mainly reinvested in the business or similar.
    public var profitsMainlyReinvested: Bool
    /// A public body owns (part of) it.
    public var hasPublicOwner: Bool
    /// A supervisor working in it is employed by a public body.
    public var hasPubliclyEmployedSupervisor: Bool
    /// The highest monthly wage paid, in SEK, if known.
    public var highestMonthlyWage: Int?
    /// The lowest monthly wage paid, in SEK, if known.
    public var lowestMonthlyWage: Int?

    /// Creates criteria.
    public init(
        integratesPeopleFarFromWork: Bool,
        participationThroughOwnership: Bool,
        profitsMainlyReinvested: Bool,
        hasPublicOwner: Bool,
        hasPubliclyEmployedSupervisor: Bool,
        highestMonthlyWage: Int? = nil,
        lowestMonthlyWage: Int? = nil
    ) {
        self.integratesPeopleFarFromWork = integratesPeopleFarFromWork
        self.participationThroughOwnership = participationThroughOwnership
        self.profitsMainlyReinvested = profitsMainlyReinvested
        self.hasPublicOwner = hasPublicOwner
        self.hasPubliclyEmployedSupervisor = hasPubliclyEmployedSupervisor
        self.highestMonthlyWage = highestMonthlyWage
        self.lowestMonthlyWage = lowestMonthlyWage
    }

    /// The fourth criterion: no public owner and no supervisor employed by a public body.
    public var independentOfPublicSector: Bool { !hasPublicOwner && !hasPubliclyEmployedSupervisor }

    /// Whether all four criteria hold.
    public var meetsAllCriteria: Bool {
        integratesPeopleFarFromWork && participationThroughOwnership && profitsMainlyReinvested && independentOfPublicSector
    }

    /// What a caseworker should look at: unmet criteria and a wage spread over 2.5 ×.
    public var warnings: [String] {
        var warnings: [String] = []
        if !integratesPeopleFarFromWork { warnings.append("does not integrate people far from the labour market") }
        if !participationThroughOwnership { warnings.append("the employees do not take part through ownership or agreement") }
        if !profitsMainlyReinvested { warnings.append("profits are not mainly reinvested") }
        if hasPublicOwner { warnings.append("not independent of the public sector: it has a public owner") }
        if hasPubliclyEmployedSupervisor {
            warnings.append("not independent of the public sector: a supervisor is employed by a public body")
        }
        if let highest = highestMonthlyWage, let lowest = lowestMonthlyWage, lowest > 0, highest * 2 > lowest * 5 {
            warnings.append("the highest wage (\(highest)) exceeds 2.5 × the lowest (\(lowest))")
        }
        return warnings
    }
}
