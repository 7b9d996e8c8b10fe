public import Foundation
import Mustache

/// One target's page templates (`Resources/Templates/*.mustache`) and texts
/// (`Resources/strings.json`), with PageKit's shared partials and texts beneath them, so every
/// feature's forms, lists and pagers look and behave the same (`{{> field}}`, `{{> pager}}`).
///
/// A feature loads its own from its resource bundle:
///
/// ```swift
/// let templates = try PageTemplates(bundle: .module)
/// ```
public struct PageTemplates: Sendable {
    let library: MustacheLibrary
    /// The texts of the target's pages, over PageKit's shared ones.
    public let strings: StringCatalogue
    /// The names of the templates, for tests.
    public let names: Set<String>
    /// Every text in each language, made once at load: templates get them on every render.
    let textsByLanguage: [Language: [String: String]]
    /// The text keys the templates use (`{{t.key}}`) that the catalogues lack: each shows as
    /// its key on the page, so the page tests require none.
    public let missingTexts: Set<String>

    /// Loads a target's templates and texts.
    ///
    /// - Parameter bundle: The target's resource bundle (`Bundle.module`), whose `Resources`
    ///   folder holds `Templates/` and `strings.json`.
    /// - Throws: ``PageSetupError`` for a missing folder, an unreadable file or a template that
    ///   does not parse, naming it.
    public init(bundle: Bundle) throws(PageSetupError) {
        try self.init(resources: Self.resources(of: bundle))
    }

    /// Loads templates and texts from a `Resources` folder (a bundle's, or a test's own).
    ///
    /// - Parameter resources: The folder with `Templates/` and `strings.json`.
    /// - Throws: ``PageSetupError``.
    public init(resources: URL) throws(PageSetupError) {
        let shared = try Self.sharedResources
        var sources = shared.sources
        var strings = shared.strings
        let own = try Self.read(resources)
        sources.merge(own.sources) { _, new in new }
        strings = strings.merging(own.strings)
        var library = MustacheLibrary()
        for (name, source) in sources {
            do { try library.register(source, named: name) } catch {
                throw PageSetupError("the template \(name).mustache does not parse: \(error)")
            }
        }
        self.library = library
        self.strings = strings
        self.names = Set(sources.keys)
        self.textsByLanguage = Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, strings.texts(for: $0)) })
        var used: Set<String> = []
        for source in sources.values {
            for match in source.matches(of: /\{\{\{?\s*t\.([A-Za-z0-9_]+)/) { used.insert(String(match.1)) }
        }
        self.missingTexts = used.subtracting(strings.entries.keys)
    }

    /// Every text in `language`, for templates (`{{t.key}}`).
    public func texts(for language: Language) -> [String: String] { textsByLanguage[language] ?? strings.texts(for: language) }

    /// Renders a template with `data`; values are escaped for HTML unless the template says
    /// `{{{…}}}`.
    ///
    /// - Throws: ``PageSetupError`` when there is no such template (a programming error the
    ///   page tests catch).
    public func render(_ template: String, _ data: Any) throws(PageSetupError) -> String {
        guard let html = library.render(data, withTemplate: template) else {
            throw PageSetupError("no page template named \(template)")
        }
        return html
    }

    // MARK: - Files

    /// The `Resources` folder a target copied into its bundle (`.copy("Resources")`): inside
    /// the bundle on Linux, under its resource folder in an Apple bundle.
    public static func resources(of bundle: Bundle) throws(PageSetupError) -> URL {
        let candidates = [bundle.bundleURL.appendingPathComponent("Resources"), bundle.resourceURL?.appendingPathComponent("Resources")]
        for case let folder? in candidates where FileManager.default.fileExists(atPath: folder.appendingPathComponent("Templates").path) {
            return folder
        }
        throw PageSetupError("the bundle \(bundle.bundlePath) has no Resources/Templates folder")
    }

    static func read(_ root: URL) throws(PageSetupError) -> (sources: [String: String], strings: StringCatalogue) {
        let folder = root.appendingPathComponent("Templates")
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        } catch {
            throw PageSetupError("cannot list the templates in \(folder.path): \(error)")
        }
        var sources: [String: String] = [:]
        for file in files where file.pathExtension == "mustache" {
            do { sources[file.deletingPathExtension().lastPathComponent] = try String(contentsOf: file, encoding: .utf8) } catch {
                throw PageSetupError("cannot read \(file.lastPathComponent): \(error)")
            }
        }
        let catalogue = root.appendingPathComponent("strings.json")
        let strings = FileManager.default.fileExists(atPath: catalogue.path) ? try StringCatalogue(contentsOf: catalogue) : StringCatalogue()
        return (sources, strings)
    }

    /// PageKit's own partials and texts, read once.
    static var sharedResources: (sources: [String: String], strings: StringCatalogue) {
        get throws(PageSetupError) {
            switch loadedShared {
            case .success(let shared): return shared
            case .failure(let error): throw error
            }
        }
    }

    private static let loadedShared: Result<(sources: [String: String], strings: StringCatalogue), PageSetupError> = {
        do throws(PageSetupError) { return .success(try read(resources(of: .module))) } catch { return .failure(error) }
    }()
}
