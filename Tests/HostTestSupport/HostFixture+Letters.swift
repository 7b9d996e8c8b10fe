package import Foundation
package import PageKit

extension HostFixture {
    /// The committee's letters as the letter tests write them: Göteborgs Stad's Social
    /// resursnämnd, numbered `SRN <year>/00001`, …, over the operator's `folder` of templates.
    package static func committeeLetters(folder: String? = nil) throws -> DecisionLetters {
        DecisionLetters(
            municipality: "Göteborgs Stad",
            authority: "Social resursnämnden",
            caseNumbers: try CaseNumberFormat(series: "SRN", pattern: "{series} {year}/{number:5}"),
            templates: try LetterTemplates.load(folder: folder).get()
        )
    }

    /// An operator's folder of letter templates holding one file (`sv/grantRejected.mustache`).
    package static func letterFolder(_ file: String, _ text: String) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("letters-\(UUID().uuidString)")
        let url = root.appendingPathComponent(file)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return root.path
    }
}
