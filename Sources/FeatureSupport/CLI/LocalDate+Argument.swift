public import ArgumentParser
public import DataAccess

extension LocalDate: ExpressibleByArgument {
    /// Parses a command-line `YYYY-MM-DD` within ``LocalDate/supported``.
    public init?(argument: String) {
        guard let day = try? LocalDate(input: argument) else { return nil }
        self = day
    }
}
