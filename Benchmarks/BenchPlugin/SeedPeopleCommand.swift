import ArgumentParser
import DataAccess
import Foundation
import PluginKit
import Registry

/// `kooperator bench seed-people`: registers people through the registry's own API (sealed
/// identity numbers, keyed hashes, audit rows), for the search and lookup benchmarks, and
/// writes their identity numbers to a file for the load generator.
struct SeedPeopleCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-people",
        abstract: "Register COUNT people with valid identity numbers (benchmark data)"
    )

    @Option(help: "How many people") var count = 100_000
    @Option(help: "Write their identity numbers here, one per line") var numbersFile: String

    static let givenNames = [
        "Åsa", "Örjan", "Märta", "Jörgen", "Lena", "Mehmet", "Ali", "Sara", "Per", "Birgitta", "Tomasz", "Anna", "Erik", "Fatima", "Johan",
        "Karin", "Lars", "Maria", "Nils", "Olof", "Pia", "Ruth", "Sven", "Ulla", "Yusuf", "Zofia", "Åke", "Eva", "Gösta", "Hanna",
    ]
    static let familyNames = [
        "Öberg", "Åkesson", "Ängström", "Lindqvist", "Håkansson", "Yılmaz", "Hassan", "Ekström", "Sjöström", "Nordström", "Nowak",
        "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson", "Pettersson",
        "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson", "Lindgren",
        "Axelsson", "Bergström", "Lundberg", "Lind", "Lundgren", "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Forsberg",
        "Sjöberg", "Wallin", "Engström", "Eklund", "Danielsson", "Lundin", "Håkansson", "Björk", "Bergman", "Gunnarsson", "Holm", "Wikström",
        "Samuelsson", "Isaksson", "Fransson", "Bergqvist",
    ]

    /// The `index`th benchmark number: a day from 1940 on and a serial that keeps them distinct.
    static func number(_ index: Int) -> String {
        let day = LocalDate(year: 1940, month: 1, day: 1)!.adding(days: index % 25_000)
        return IdentityNumber(birthDate: day, serial: 100 + (index / 25_000) * 7)!.formatted
    }

    func run(context: FeatureContext) async throws {
        let registry = try context.registry
        let today = LocalDate.today()
        let start = ContinuousClock.now
        var numbers: [String] = []
        numbers.reserveCapacity(count)
        for batchStart in stride(from: 0, to: count, by: 2000) {
            let indices = batchStart..<min(count, batchStart + 2000)
            let batch = indices.map { index in
                (
                    Self.number(index),
                    Self.givenNames[index % Self.givenNames.count] + " " + Self.familyNames[(index / 7) % Self.familyNames.count]
                )
            }
            try await registry.database.transaction { tx in
                for (number, name) in batch {
                    _ = try registry.createPerson(
                        PersonDraft(name: name, identityNumber: number, gender: .unspecified),
                        today: today,
                        reach: .everything,
                        actor: .system,
                        in: tx
                    )
                }
            }
            numbers += batch.map(\.0)
        }
        // No ANALYZE here: it needs the table's owner, and the host serves as a role that owns
        // nothing; Benchmarks/run.sh analyzes as the cluster's superuser.
        try (numbers.joined(separator: "\n") + "\n").write(toFile: numbersFile, atomically: true, encoding: .utf8)
        print("registered \(count) people in \(ContinuousClock.now - start)")
    }
}
