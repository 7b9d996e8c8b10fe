public import ArgumentParser
public import Foundation

extension Decimal: @retroactive ExpressibleByArgument {
    /// Parses a command-line number with a decimal point (`12.5`), whatever the locale.
    public init?(argument: String) { self.init(string: argument, locale: Locale(identifier: "en_US_POSIX")) }
}
