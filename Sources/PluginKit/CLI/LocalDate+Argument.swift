public import ArgumentParser
public import DataAccess

extension LocalDate: ExpressibleByArgument {
    /// Parses a command-line `YYYY-MM-DD`.
    public init?(argument: String) { self.init(argument) }
}

extension Role: ExpressibleByArgument {}
