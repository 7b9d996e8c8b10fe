import DataAccess
import Foundation
import Hummingbird
import PageKit
import PluginKit

/// The project's import page (`/esf/projects/{id}/import`): a CSV file of participants or jobs
/// uploaded as `multipart/form-data` and imported by the same store function as the API's
/// `importFile`, in one transaction, audited, nothing stored when a row is wrong. A refused file
/// comes back as the page with every bad value by row and column (422); an imported one leads to
/// the project's page with a summary (303).
extension ESFPages {
    /// The upload form's field that holds the file.
    static let importField = "file"

    /// The empty upload form.
    func importForm(page: PageContext) async throws -> PageResult {
        let id = try page.requestContext.parameters.require("id", as: Int.self)
        let project = try await store.database.withConnection { db in try store.project(id: id, in: db) }
        return try importPage(project, page: page)
    }

    /// Imports the uploaded file, or shows why not.
    func importFile(page: PageContext) async throws -> PageResult {
        let id = try page.requestContext.parameters.require("id", as: Int.self)
        let project = try await store.database.withConnection { db in try store.project(id: id, in: db) }
        guard let file = page.files.first(where: { $0.field == Self.importField && !$0.content.isEmpty }) else {
            return try importPage(project, message: page.text("importNoFile"), page: page, status: .unprocessableContent)
        }
        let (actor, today) = (page.actor, LocalDate.today())
        let report: ImportReport
        do {
            report = try await store.database.transaction { tx in
                try store.importCSV(Array(file.content), project: id, today: today, actor: actor, in: tx)
            }
        } catch let error as FeatureError where [.invalidInput, .conflict].contains(error.code) {
            // A bad file lists every bad value; a project that takes no imports now says why.
            let rows = error.problems.map { ImportErrorView($0, page: page) }
            let message = rows.isEmpty ? page.localized(error).message : page.text("importRefused", ["count": String(rows.count)])
            return try importPage(project, message: message, errors: rows, page: page, status: .unprocessableContent)
        }
        let notice =
            report.alreadyImported
            ? page.text("importAlready")
            : page.text(
                "importDone",
                [
                    "rows": String(report.rows), "created": String(report.created), "reentered": String(report.reentered),
                    "unchanged": String(report.unchanged), "people": String(report.peopleRegistered),
                ]
            )
        return .redirect(to: "/esf/projects/\(id)", notice: notice)
    }

    /// The upload page, with what went wrong when a file was refused.
    func importPage(
        _ project: Project,
        message: String? = nil,
        errors: [ImportErrorView] = [],
        page: PageContext,
        status: HTTPResponse.Status = .ok
    ) throws -> PageResult {
        var data: [String: Any] = [
            "action": "/esf/projects/\(project.id)/import", "projectLink": "/esf/projects/\(project.id)", "projectName": project.name,
            "field": Self.importField, "errors": errors, "hasErrors": !errors.isEmpty,
        ]
        data["message"] = message
        return try page.render("import", title: page.text("importTitle", ["name": project.name]), data, status: status)
    }
}
