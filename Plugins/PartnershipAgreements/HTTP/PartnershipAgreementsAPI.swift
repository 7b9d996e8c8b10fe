import CSVKit
import DataAccess
import FeatureSupport
import Foundation
import OpenAPIRuntime
import PluginKit
import Registry

/// The partnership API under `/api/v1/partnerships`, implementing the operations of the feature's
/// `openapi.yaml`. The host has checked each operation's permission before a handler runs; reads
/// go through the caller's reach, so an agreement none of whose parties is within a scoped user's
/// reach answers 404 as a missing one does.
struct PartnershipAgreementsAPI: APIProtocol, ReachScopedAPI {
    let store: PartnershipStore
    var registry: Registry { store.registry }

    // MARK: - Agreements

    func listAgreements(_ input: Operations.ListAgreements.Input) async throws -> Operations.ListAgreements.Output {
        let (reach, _, _) = try caller()
        let query = AgreementQuery(
            kind: input.query.kind,
            state: input.query.state,
            organisationId: input.query.organisationId,
            flagged: input.query.flagged,
            caseNumber: input.query.caseNumber
        )
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        return .ok(.init(body: .json(try await read { db in try store.agreements(matching: query, page: page, reach: reach, in: db) })))
    }

    func createAgreement(_ input: Operations.CreateAgreement.Input) async throws -> Operations.CreateAgreement.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let agreement = try await write { tx in try store.createAgreement(draft, reach: reach, actor: actor, in: tx) }
        return .created(.init(headers: .init(location: "/api/v1/partnerships/agreements/\(agreement.id)"), body: .json(agreement)))
    }

    func getAgreement(_ input: Operations.GetAgreement.Input) async throws -> Operations.GetAgreement.Output {
        let (reach, _, _) = try caller()
        return .ok(.init(body: .json(try await read { db in try store.agreement(id: input.path.id, reach: reach, in: db) })))
    }

    func changeAgreementState(_ input: Operations.ChangeAgreementState.Input) async throws -> Operations.ChangeAgreementState.Output {
        let change =
            switch input.body {
            case .json(let body): body
            }
        let ((reach, actor, _), today) = (try caller(), LocalDate.today())
        let agreement = try await write { tx in
            try store.changeState(ofAgreement: input.path.id, change, today: today, reach: reach, actor: actor, in: tx)
        }
        return .ok(.init(body: .json(agreement)))
    }

    func listAgreementTransitions(_ input: Operations.ListAgreementTransitions.Input) async throws -> Operations.ListAgreementTransitions.Output {
        let (reach, _, _) = try caller()
        let transitions = try await read { db in try store.transitions(ofAgreement: input.path.id, reach: reach, in: db) }
        return .ok(.init(body: .json(Items(items: transitions))))
    }

    func setAgreementResponsible(_ input: Operations.SetAgreementResponsible.Input) async throws -> Operations.SetAgreementResponsible.Output {
        let change =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let agreement = try await write { tx in try store.setResponsible(ofAgreement: input.path.id, change, reach: reach, actor: actor, in: tx) }
        return .ok(.init(body: .json(agreement)))
    }

    func addAgreementContribution(_ input: Operations.AddAgreementContribution.Input) async throws -> Operations.AddAgreementContribution.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let agreement = try await write { tx in try store.addContribution(draft, toAgreement: input.path.id, reach: reach, actor: actor, in: tx) }
        return .ok(.init(body: .json(agreement)))
    }

    func recordProcurementCheck(_ input: Operations.RecordProcurementCheck.Input) async throws -> Operations.RecordProcurementCheck.Output {
        let check =
            switch input.body {
            case .json(let body): body
            }
        let ((reach, actor, _), today) = (try caller(), LocalDate.today())
        let agreement = try await write { tx in
            try store.recordProcurementCheck(check, agreement: input.path.id, today: today, reach: reach, actor: actor, in: tx)
        }
        return .ok(.init(body: .json(agreement)))
    }

    func clearAgreementReviewFlag(_ input: Operations.ClearAgreementReviewFlag.Input) async throws -> Operations.ClearAgreementReviewFlag.Output {
        let (reach, actor, _) = try caller()
        let agreement = try await write { tx in try store.clearFlag(ofAgreement: input.path.id, reach: reach, actor: actor, in: tx) }
        return .ok(.init(body: .json(agreement)))
    }

    // MARK: - Grants

    func getGrantAccount(_ input: Operations.GetGrantAccount.Input) async throws -> Operations.GetGrantAccount.Output {
        let (reach, _, _) = try caller()
        return .ok(.init(body: .json(try await read { db in try store.grantAccount(id: input.path.id, reach: reach, in: db) })))
    }

    func addGrantPayment(_ input: Operations.AddGrantPayment.Input) async throws -> Operations.AddGrantPayment.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let payment = try await write { tx in try store.addPayment(draft, toGrant: input.path.id, reach: reach, actor: actor, in: tx) }
        return .created(.init(body: .json(payment)))
    }

    func markGrantPaymentPaid(_ input: Operations.MarkGrantPaymentPaid.Input) async throws -> Operations.MarkGrantPaymentPaid.Output {
        let made =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let payment = try await write { tx in try store.markPaid(payment: input.path.id, on: made.paidOn, reach: reach, actor: actor, in: tx) }
        return .ok(.init(body: .json(payment)))
    }

    func submitGrantReport(_ input: Operations.SubmitGrantReport.Input) async throws -> Operations.SubmitGrantReport.Output {
        let report =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let stored = try await write { tx in try store.submitReport(report, forGrant: input.path.id, reach: reach, actor: actor, in: tx) }
        return .created(.init(body: .json(stored)))
    }

    // MARK: - Action plans

    func listAgreementActivities(_ input: Operations.ListAgreementActivities.Input) async throws -> Operations.ListAgreementActivities.Output {
        let (reach, _, _) = try caller()
        let activities = try await read { db in try store.activities(ofAgreement: input.path.id, reach: reach, in: db) }
        return .ok(.init(body: .json(Items(items: activities))))
    }

    func addAgreementActivity(_ input: Operations.AddAgreementActivity.Input) async throws -> Operations.AddAgreementActivity.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let activity = try await write { tx in try store.addActivity(draft, toAgreement: input.path.id, reach: reach, actor: actor, in: tx) }
        return .created(.init(body: .json(activity)))
    }

    func updateAgreementActivity(_ input: Operations.UpdateAgreementActivity.Input) async throws -> Operations.UpdateAgreementActivity.Output {
        let update =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let activity = try await write { tx in try store.updateActivity(id: input.path.id, update, reach: reach, actor: actor, in: tx) }
        return .ok(.init(body: .json(activity)))
    }

    // MARK: - Documents

    func listAgreementDocuments(_ input: Operations.ListAgreementDocuments.Input) async throws -> Operations.ListAgreementDocuments.Output {
        let (reach, _, _) = try caller()
        let documents = try await read { db in try store.documents(ofAgreement: input.path.id, reach: reach, in: db) }
        return .ok(.init(body: .json(Items(items: documents))))
    }

    func attachAgreementDocument(_ input: Operations.AttachAgreementDocument.Input) async throws -> Operations.AttachAgreementDocument.Output {
        let file =
            switch input.body {
            case .any(let body): body
            }
        // The file is the raw body: its type in Content-Type (checked before the body is read), its name in ?filename=.
        let type = try store.allowedContentType(DocumentMediaTypes.received ?? "")
        let content = try await Self.collect(file, upTo: store.settings.maxAttachmentBytes)
        let (reach, actor, _) = try caller()
        let document = try await write { tx in
            try store.attach(
                content,
                contentType: type,
                filename: input.query.filename ?? "",
                toAgreement: input.path.id,
                reach: reach,
                actor: actor,
                in: tx
            )
        }
        return .created(.init(headers: .init(location: "/api/v1/partnerships/documents/\(document.id)"), body: .json(document)))
    }

    /// An uploaded file's bytes, at most `limit` of them: the document's limit is the feature's
    /// `maxAttachmentBytes`, so the host leaves this body to the handler (`x-kooperator-body-limit`).
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming `/content` for a larger file.
    static func collect(_ body: HTTPBody, upTo limit: Int) async throws -> Data {
        let tooLarge = FeatureError(.invalidInput, "the file is larger than the \(limit) bytes allowed", field: "/content")
        if case .known(let length) = body.length, length > limit { throw tooLarge }
        var content = Data()
        for try await chunk in body {
            guard content.count + chunk.count <= limit else { throw tooLarge }
            content.append(contentsOf: chunk)
        }
        return content
    }

    func getAgreementDocument(_ input: Operations.GetAgreementDocument.Input) async throws -> Operations.GetAgreementDocument.Output {
        let (reach, _, _) = try caller()
        let (document, content) = try await read { db in try store.document(id: input.path.id, reach: reach, in: db) }
        DocumentMediaTypes.send(document.contentType)
        return .ok(.init(headers: .init(contentDisposition: document.contentDisposition), body: .any(HTTPBody(content))))
    }

    // MARK: - Follow-up, reminders, ledger

    /// A CSV download: the body and its `Content-Disposition`.
    static func download(_ csv: CSV, filename: String) -> (body: HTTPBody, disposition: String) {
        (HTTPBody(csv.text), CSV.attachment(filename: filename))
    }

    func getAgreementFollowUp(_ input: Operations.GetAgreementFollowUp.Input) async throws -> Operations.GetAgreementFollowUp.Output {
        let ((reach, _, _), asOf) = (try caller(), input.query.asOf ?? LocalDate.today())
        let report = try await read { db in try store.followUp(asOf: asOf, reach: reach, in: db) }
        guard CSV.isRequested(format: input.query.format?.rawValue, accept: input.headers.accept, csv: .csv) else {
            return .ok(.init(body: .json(report)))
        }
        let (body, disposition) = Self.download(PartnershipCSV.followUp(report), filename: "partnerships-follow-up-\(asOf).csv")
        return .ok(.init(headers: .init(contentDisposition: disposition), body: .csv(body)))
    }

    func listAgreementReminders(_ input: Operations.ListAgreementReminders.Input) async throws -> Operations.ListAgreementReminders.Output {
        let (reach, _, _) = try caller()
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        return .ok(.init(body: .json(try await read { db in try store.reminders(page: page, reach: reach, in: db) })))
    }

    func getGrantLedger(_ input: Operations.GetGrantLedger.Input) async throws -> Operations.GetGrantLedger.Output {
        let (reach, _, _) = try caller()
        let year = try input.query.year.map { year throws(FeatureError) in try Input.year(year, field: "year") }
        let organisation = input.query.organisationId
        let lines = try await read { db in try store.ledger(year: year, organisationId: organisation, reach: reach, in: db) }
        guard CSV.isRequested(format: input.query.format?.rawValue, accept: input.headers.accept, csv: .csv) else {
            return .ok(.init(body: .json(Items(items: lines))))
        }
        let (body, disposition) = Self.download(PartnershipCSV.ledger(lines), filename: "grant-ledger\(year.map { "-\($0)" } ?? "").csv")
        return .ok(.init(headers: .init(contentDisposition: disposition), body: .csv(body)))
    }

    func getAgreementTotals(_ input: Operations.GetAgreementTotals.Input) async throws -> Operations.GetAgreementTotals.Output {
        let ((reach, _, _), today) = (try caller(), LocalDate.today())
        let year = try input.query.year.map { year throws(FeatureError) in try Input.year(year, field: "year") }
        let totals = try await read { db in try store.totals(year: year, asOf: today, reach: reach, in: db) }
        guard CSV.isRequested(format: input.query.format?.rawValue, accept: input.headers.accept, csv: .csv) else {
            return .ok(.init(body: .json(Items(items: totals))))
        }
        let (body, disposition) = Self.download(PartnershipCSV.totals(totals), filename: "agreement-totals\(year.map { "-\($0)" } ?? "").csv")
        return .ok(.init(headers: .init(contentDisposition: disposition), body: .csv(body)))
    }
}
