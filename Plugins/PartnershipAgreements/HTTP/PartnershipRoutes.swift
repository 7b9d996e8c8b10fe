import DataAccess
import Foundation
import Hummingbird
import PluginKit
import Registry

/// The partnership API under `/api/v1/partnerships`. Every route checks a permission and reads
/// through the caller's reach, so an agreement none of whose parties is within a scoped user's
/// reach answers 404 as a missing one does.
struct PartnershipRoutes: Sendable {
    let store: PartnershipStore

    typealias P = PartnershipPermissions

    func register(on group: RouterGroup<AppRequestContext>) {
        registerAgreements(on: group)
        registerGrants(on: group)
        registerPlansAndDocuments(on: group)
        registerFollowUp(on: group)
    }

    func reach(_ principal: Principal) -> Reach { store.registry.reach(of: principal) }

    func registerAgreements(on group: RouterGroup<AppRequestContext>) {
        let store = self.store
        group.on("agreements", method: .get, requiring: P.read) { request, _, principal in
            let query = AgreementQuery(
                kind: try request.queryValue("kind", as: AgreementKind.self),
                state: try request.queryValue("state", as: AgreementState.self),
                organisationId: try request.queryInt("organisationId"),
                flagged: request.queryText("flagged").map { $0 == "true" }
            )
            let (page, reach) = (try request.pageRequest(), reach(principal))
            return try await store.database.withConnection { db in try store.agreements(matching: query, page: page, reach: reach, in: db) }
        }
        group.on("agreements", method: .post, requiring: P.agreementWrite) { request, context, principal in
            let draft = try await request.decodeJSON(as: AgreementDraft.self, context: context)
            let (reach, actor) = (reach(principal), try context.actor())
            let agreement = try await store.database.transaction { tx in try store.createAgreement(draft, reach: reach, actor: actor, in: tx) }
            return EditedResponse(status: .created, headers: [.location: "/api/v1/partnerships/agreements/\(agreement.id)"], response: agreement)
        }
        group.on("agreements/{id}", method: .get, requiring: P.read) { _, context, principal in
            let (id, reach) = (try context.parameters.require("id", as: Int.self), reach(principal))
            return try await store.database.withConnection { db in try store.agreement(id: id, reach: reach, in: db) }
        }
        group.on("agreements/{id}/state", method: .post, requiring: P.agreementWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let change = try await request.decodeJSON(as: AgreementStateChange.self, context: context)
            let (reach, actor, today) = (reach(principal), try context.actor(), LocalDate.today())
            return try await store.database.transaction { tx in
                try store.changeState(ofAgreement: id, change, today: today, reach: reach, actor: actor, in: tx)
            }
        }
        group.on("agreements/{id}/transitions", method: .get, requiring: P.read) { _, context, principal in
            let (id, reach) = (try context.parameters.require("id", as: Int.self), reach(principal))
            return try await store.database.withConnection { db in Items(items: try store.transitions(ofAgreement: id, reach: reach, in: db)) }
        }
        group.on("agreements/{id}/contributions", method: .post, requiring: P.agreementWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let draft = try await request.decodeJSON(as: ContributionDraft.self, context: context)
            let (reach, actor) = (reach(principal), try context.actor())
            return try await store.database.transaction { tx in try store.addContribution(draft, toAgreement: id, reach: reach, actor: actor, in: tx)
            }
        }
        group.on("agreements/{id}/procurement-check", method: .post, requiring: P.agreementWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let check = try await request.decodeJSON(as: ProcurementCheck.self, context: context)
            let (reach, actor, today) = (reach(principal), try context.actor(), LocalDate.today())
            return try await store.database.transaction { tx in
                try store.recordProcurementCheck(check, agreement: id, today: today, reach: reach, actor: actor, in: tx)
            }
        }
        group.on("agreements/{id}/reviewed", method: .post, requiring: P.agreementWrite) { _, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let (reach, actor) = (reach(principal), try context.actor())
            return try await store.database.transaction { tx in try store.clearFlag(ofAgreement: id, reach: reach, actor: actor, in: tx) }
        }
    }

    func registerGrants(on group: RouterGroup<AppRequestContext>) {
        let store = self.store
        group.on("agreements/{id}/grant", method: .get, requiring: P.read) { _, context, principal in
            let (id, reach) = (try context.parameters.require("id", as: Int.self), reach(principal))
            return try await store.database.withConnection { db in try store.grantAccount(id: id, reach: reach, in: db) }
        }
        group.on("agreements/{id}/payments", method: .post, requiring: P.grantWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let draft = try await request.decodeJSON(as: PaymentDraft.self, context: context)
            let (reach, actor) = (reach(principal), try context.actor())
            let payment = try await store.database.transaction { tx in try store.addPayment(draft, toGrant: id, reach: reach, actor: actor, in: tx) }
            return EditedResponse(status: .created, response: payment)
        }
        group.on("payments/{id}/paid", method: .post, requiring: P.grantWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let made = try await request.decodeJSON(as: PaymentMade.self, context: context)
            let (reach, actor) = (reach(principal), try context.actor())
            return try await store.database.transaction { tx in try store.markPaid(payment: id, on: made.paidOn, reach: reach, actor: actor, in: tx) }
        }
        group.on("agreements/{id}/report", method: .post, requiring: P.grantWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let report = try await request.decodeJSON(as: GrantReport.self, context: context)
            let (reach, actor) = (reach(principal), try context.actor())
            let stored = try await store.database.transaction { tx in try store.submitReport(report, forGrant: id, reach: reach, actor: actor, in: tx)
            }
            return EditedResponse(status: .created, response: stored)
        }
    }

    func registerPlansAndDocuments(on group: RouterGroup<AppRequestContext>) {
        let store = self.store
        group.on("agreements/{id}/activities", method: .get, requiring: P.read) { _, context, principal in
            let (id, reach) = (try context.parameters.require("id", as: Int.self), reach(principal))
            return try await store.database.withConnection { db in Items(items: try store.activities(ofAgreement: id, reach: reach, in: db)) }
        }
        group.on("agreements/{id}/activities", method: .post, requiring: P.activityWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let draft = try await request.decodeJSON(as: ActivityDraft.self, context: context)
            let (reach, actor) = (reach(principal), try context.actor())
            let activity = try await store.database.transaction { tx in
                try store.addActivity(draft, toAgreement: id, reach: reach, actor: actor, in: tx)
            }
            return EditedResponse(status: .created, response: activity)
        }
        group.on("activities/{id}", method: .post, requiring: P.activityWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let update = try await request.decodeJSON(as: ActivityUpdate.self, context: context)
            let (reach, actor) = (reach(principal), try context.actor())
            return try await store.database.transaction { tx in try store.updateActivity(id: id, update, reach: reach, actor: actor, in: tx) }
        }
        group.on("agreements/{id}/documents", method: .get, requiring: P.read) { _, context, principal in
            let (id, reach) = (try context.parameters.require("id", as: Int.self), reach(principal))
            return try await store.database.withConnection { db in Items(items: try store.documents(ofAgreement: id, reach: reach, in: db)) }
        }
        group.on("agreements/{id}/documents", method: .post, requiring: P.documentWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            // The file is the raw body: its type in Content-Type, its name in ?filename=.
            let type = try store.allowedContentType(request.headers[.contentType] ?? "")
            let filename = request.queryText("filename") ?? ""
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: store.settings.maxAttachmentBytes)
            } catch let error as HTTPError where error.status == .contentTooLarge {
                throw FeatureError(.invalidInput, "the file is larger than the \(store.settings.maxAttachmentBytes) bytes allowed", field: "/content")
            }
            let (reach, actor, content) = (reach(principal), try context.actor(), Data(body.readableBytesView))
            let document = try await store.database.transaction { tx in
                try store.attach(content, contentType: type, filename: filename, toAgreement: id, reach: reach, actor: actor, in: tx)
            }
            return EditedResponse(status: .created, headers: [.location: "/api/v1/partnerships/documents/\(document.id)"], response: document)
        }
        group.on("documents/{id}", method: .get, requiring: P.read) { _, context, principal -> Response in
            let (id, reach) = (try context.parameters.require("id", as: Int.self), reach(principal))
            let (document, content) = try await store.database.withConnection { db in try store.document(id: id, reach: reach, in: db) }
            return Self.download(document, content: content)
        }
    }

    /// A document's file as a download, its name reduced to safe characters.
    static func download(_ document: Document, content: Data) -> Response {
        let safeName = String(document.filename.filter { $0.isLetter || $0.isNumber || "-_. ".contains($0) }.prefix(100))
        return Response(
            status: .ok,
            headers: [.contentType: document.contentType, .contentDisposition: "attachment; filename=\"\(safeName)\""],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: content))
        )
    }

    func registerFollowUp(on group: RouterGroup<AppRequestContext>) {
        let store = self.store
        group.on("follow-up", method: .get, requiring: P.read) { request, context, principal -> Response in
            let (asOf, reach) = (try request.queryDate("asOf") ?? LocalDate.today(), reach(principal))
            let report = try await store.database.withConnection { db in try store.followUp(asOf: asOf, reach: reach, in: db) }
            if request.wantsCSV {
                return try PartnershipCSV.followUp(report).response(filename: "partnerships-follow-up-\(asOf).csv").response(
                    from: request,
                    context: context
                )
            }
            return try report.response(from: request, context: context)
        }
        group.on("reminders", method: .get, requiring: P.read) { request, _, principal in
            let (page, reach) = (try request.pageRequest(), reach(principal))
            return try await store.database.withConnection { db in try store.reminders(page: page, reach: reach, in: db) }
        }
        group.on("ledger", method: .get, requiring: P.read) { request, context, principal -> Response in
            let (year, organisation, reach) = (try request.queryYear("year"), try request.queryInt("organisationId"), reach(principal))
            let lines = try await store.database.withConnection { db in
                try store.ledger(year: year, organisationId: organisation, reach: reach, in: db)
            }
            if request.wantsCSV {
                return try PartnershipCSV.ledger(lines).response(filename: "grant-ledger\(year.map { "-\($0)" } ?? "").csv")
                    .response(from: request, context: context)
            }
            return try Items(items: lines).response(from: request, context: context)
        }
        group.on("totals", method: .get, requiring: P.read) { request, context, principal -> Response in
            let (year, reach, today) = (try request.queryYear("year"), reach(principal), LocalDate.today())
            let totals = try await store.database.withConnection { db in try store.totals(year: year, asOf: today, reach: reach, in: db) }
            if request.wantsCSV {
                return try PartnershipCSV.totals(totals).response(filename: "agreement-totals\(year.map { "-\($0)" } ?? "").csv")
                    .response(from: request, context: context)
            }
            return try Items(items: totals).response(from: request, context: context)
        }
    }
}

extension Agreement: ResponseEncodable {}
extension Payment: ResponseEncodable {}
extension GrantAccount: ResponseEncodable {}
extension GrantReport: ResponseEncodable {}
extension Activity: ResponseEncodable {}
extension Document: ResponseEncodable {}
extension FollowUp: ResponseEncodable {}
