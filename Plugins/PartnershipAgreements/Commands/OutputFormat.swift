import ArgumentParser

/// How a report command prints.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}
