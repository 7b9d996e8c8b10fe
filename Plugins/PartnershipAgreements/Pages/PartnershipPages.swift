import CSVKit
import DataAccess
import FeatureSupport
import Foundation
import Hummingbird
import PageKit
import PluginKit
import Registry

/// The partnership pages: the agreements to search and download, an agreement's page (its
/// parties and each one's contributions, its state with the history, its dates, its documents and
/// a grant's money) with the form that moves it to its next state, and the grant ledger per
/// organisation and year. Every read goes through the viewer's reach, so a supervisor asking for
/// an agreement none of whose parties is its organisation gets 404, as for a missing one.
struct PartnershipPages: PageProvider {
    let store: PartnershipStore
    let templates: PageTemplates

    typealias P = PartnershipPermissions

    var navigation: [NavigationEntry] { [NavigationEntry(titleKey: "navTitle", path: "/partnerships", permission: P.read)] }

    func reach(_ page: PageContext) -> Reach { store.registry.reach(of: page.principal) }

    func addPages(to router: PageRouter) {
        let store = self.store
        router.get("", requiring: P.read) { request, page in try await agreements(request: request, page: page) }
        router.get("agreements/{id}", requiring: P.read) { _, page in
            try await agreement(try page.requestContext.parameters.require("id", as: Int.self), form: nil, page: page)
        }
        router.post("agreements/{id}/state", requiring: P.agreementWrite) { _, page in
            let id = try page.requestContext.parameters.require("id", as: Int.self)
            do {
                let change = try Self.stateChange(page.form, page: page)
                if Self.asksFirst.contains(change.state), page.form.raw("_confirmed") != "yes" {
                    return try Self.confirmation(id, change, page: page)
                }
                // The API's change of state: its checks, its audit row, its decision letter.
                try await page.perform("partnerships", "changeAgreementState", path: ["id": String(id)], body: change)
                return page.redirect(to: "/partnerships/agreements/\(id)", notice: "stateChanged")
            } catch let error as FeatureError where error.code == .invalidInput || error.code == .conflict {
                return try await agreement(id, form: (page.form, error), page: page)
            }
        }
        router.post("agreements/{id}/reviewed", requiring: P.agreementWrite) { _, page in
            let id = try page.requestContext.parameters.require("id", as: Int.self)
            // The API's review: a refusal (no flag to clear) is its 409, on the error page.
            try await page.perform("partnerships", "clearAgreementReviewFlag", path: ["id": String(id)])
            return page.redirect(to: "/partnerships/agreements/\(id)", notice: "reviewRecorded")
        }
        router.upload("agreements/{id}/documents", requiring: P.documentWrite) { _, page in
            let id = try page.requestContext.parameters.require("id", as: Int.self)
            let (reach, actor) = (reach(page), page.actor)
            do {
                // The API's upload and this form store through the same function, with its checks and audit row.
                guard let file = page.files.first(where: { $0.field == "content" && !$0.filename.isEmpty }) else {
                    throw FeatureError(.invalidInput, "choose a file to upload", field: "/content", wording: "uploadMissing")
                }
                _ = try await store.database.transaction { tx in
                    try store.attach(
                        file.content,
                        contentType: file.contentType,
                        filename: file.filename,
                        toAgreement: id,
                        reach: reach,
                        actor: actor,
                        in: tx
                    )
                }
                return page.redirect(to: "/partnerships/agreements/\(id)", notice: "documentAttached")
            } catch let error as FeatureError where error.code == .invalidInput {
                // The type and the name are the file's too: every refusal shows at the file's field.
                let atFile = FeatureError(error.code, error.message, field: "/content", wording: error.wording)
                return try await agreement(id, form: nil, upload: atFile, page: page)
            }
        }
        router.get("documents/{id}", requiring: P.read) { _, page in
            let (id, reach) = (try page.requestContext.parameters.require("id", as: Int.self), reach(page))
            let (document, content) = try await store.database.withConnection { db in try store.document(id: id, reach: reach, in: db) }
            return PageResult(document.download(content))
        }
        // A decision's letter as it was written, to read and print (one A4 PDF from the browser).
        router.get("letters/{id}", requiring: P.read) { _, page in
            let (id, reach) = (try page.requestContext.parameters.require("id", as: Int.self), reach(page))
            let (document, content) = try await store.database.withConnection { db in try store.document(id: id, reach: reach, in: db) }
            guard document.letter != nil else { throw FeatureError.notFound("letter", id: id) }
            return PageResult.letter(String(decoding: content, as: UTF8.self))
        }
        router.get("ledger", requiring: P.read) { request, page in try await ledger(request: request, page: page) }
    }

    // MARK: - Agreements

    func agreements(request: Request, page: PageContext) async throws -> PageResult {
        let query = try ListQuery(request, sortKeys: Array(PartnershipStore.agreementSorts.keys), defaultSort: "title")
        let kind = try request.queryValue("kind", as: AgreementKind.self)
        let order = query.orderBy(PartnershipStore.agreementSorts, then: "a.id")
        let reach = reach(page)
        let store = self.store
        // The download holds every row found; the page one page of them.
        let wantsCSV = request.wantsCSV
        let (limit, offset) = wantsCSV ? (ListQuery.downloadLimit, 0) : (query.pageSize, query.offset)
        let found = try await store.database.withConnection { db in
            try store.agreementList(
                text: query.text,
                kind: kind,
                organisationId: nil,
                orderBy: order,
                limit: limit,
                offset: offset,
                reach: reach,
                in: db
            )
        }
        if wantsCSV {
            var csv = CSV("id", "caseNumber", "kind", "title", "parties", "state", "from", "to", "next", "nextOn", "money", "inKind")
            for row in found.rows {
                csv.add(
                    String(row.id),
                    row.caseNumber ?? "",
                    row.kind.rawValue,
                    row.title,
                    row.partyNames,
                    row.state.rawValue,
                    row.from.description,
                    row.to?.description ?? "",
                    row.nextKind?.rawValue ?? "",
                    row.nextOn?.description ?? "",
                    "\(row.money)",
                    "\(row.inKind)"
                )
            }
            return .csv(csv, filename: "avtal.csv")
        }
        let list = ListView(
            query: query,
            total: found.total,
            columns: [
                ("title", page.text("agreement")), ("caseNumber", page.text("caseNumber")), ("kind", page.text("kind")), (nil, page.text("parties")),
                ("state", page.text("state")),
                ("next", page.text("nextDate")), (nil, page.text("contributionsMoney")), (nil, page.text("contributionsInKind")),
            ],
            context: page
        )
        let kinds =
            [FormField.Option(value: "", label: page.text("allKinds"), selected: kind == nil)]
            + AgreementKind.allCases.map { FormField.Option(value: $0.rawValue, label: page.text("kind_" + $0.rawValue), selected: $0 == kind) }
        return try page.render(
            "agreements",
            title: page.text("agreementsTitle"),
            [
                "list": list, "rows": found.rows.map { AgreementRowView($0, page: page) }, "kinds": kinds, "ledgerLink": "/partnerships/ledger",
                "actions": page.actions([("newAgreement", page.formLink("partnerships", "createAgreement", requiring: P.agreementWrite))]),
            ]
        )
    }

    /// An agreement's page; with `form`, the state form comes back filled in with its error, with
    /// `upload` the upload form with its refusal (422).
    func agreement(
        _ id: Int,
        form: (values: FormValues, error: FeatureError)?,
        upload: FeatureError? = nil,
        page: PageContext
    ) async throws -> PageResult {
        let reach = reach(page)
        let (agreement, names, transitions, documents, account, activities, caseworker) = try await store.database.withConnection { db in
            let agreement = try store.agreement(id: id, reach: reach, in: db)
            return (
                agreement,
                try store.organisationNames(agreement.parties.map(\.organisationId), in: db),
                try store.transitions(ofAgreement: id, reach: reach, in: db),
                try store.documents(ofAgreement: id, reach: reach, in: db),
                agreement.kind.isGrant ? try store.grantAccount(id: id, reach: reach, in: db) : nil,
                agreement.kind == .frameworkAgreement ? try store.activities(ofAgreement: id, reach: reach, in: db) : [],
                try store.staff.displayNames([agreement.caseworkerUserId], in: db).values.first
            )
        }
        let canWrite = page.principal.holds(P.agreementWrite)
        var stateForm: PageForm?
        if canWrite, !agreement.state.allowedNext.isEmpty {
            var built = Self.stateForm(agreement, page: page)
            if let form { built.fill(form.values, error: form.error, in: page) }
            stateForm = built
        }
        let money = page.language
        var facts: [[String: String]] = [
            ["label": page.text("kind"), "value": page.text("kind_" + agreement.kind.rawValue)],
            ["label": page.text("caseNumber"), "value": agreement.caseNumber ?? "–"],
            ["label": page.text("state"), "value": page.text("state_" + agreement.state.rawValue)],
            ["label": page.text("period"), "value": "\(agreement.from) – \(agreement.to?.description ?? page.text("untilFurther"))"],
            ["label": page.text("purpose"), "value": agreement.purpose],
            ["label": page.text("responsibleCaseworker"), "value": caseworker ?? "–"],
        ]
        if let initiator = agreement.initiatedById {
            facts.append(["label": page.text("initiatedBy"), "value": names[initiator] ?? String(initiator)])
        }
        if let terms = agreement.terminationTerms { facts.append(["label": page.text("terminationTerms"), "value": terms]) }
        if let check = agreement.procurementCheck {
            facts.append([
                "label": page.text("procurementCheck"), "value": check + (agreement.procurementCheckedOn.map { " (\($0))" } ?? ""),
            ])
        }
        if let year = agreement.grantYear { facts.append(["label": page.text("grantYear"), "value": String(year)]) }
        if let applied = agreement.appliedAmount { facts.append(["label": page.text("applied"), "value": Kronor.text(applied, money)]) }
        if let granted = agreement.grantedAmount { facts.append(["label": page.text("granted"), "value": Kronor.text(granted, money)]) }
        if let conditions = agreement.conditions { facts.append(["label": page.text("conditions"), "value": conditions]) }
        if let reason = agreement.flagReason { facts.append(["label": page.text("flagReason"), "value": reason]) }
        var dates: [[String: String]] = []
        if let review = agreement.reviewOn { dates.append(["label": page.text("next_review"), "value": review.description]) }
        if let end = agreement.to { dates.append(["label": page.text("next_end"), "value": end.description]) }
        if let decided = agreement.decidedOn { dates.append(["label": page.text("decidedOn"), "value": decided.description]) }
        if let due = agreement.reportDueOn { dates.append(["label": page.text("next_report"), "value": due.description]) }
        var data: [String: Any] = [
            "facts": facts,
            "dates": dates,
            "hasDates": !dates.isEmpty,
            "parties": agreement.parties.map {
                PartyView($0, name: names[$0.organisationId] ?? String($0.organisationId), contributions: agreement.contributions, page: page)
            },
            "transitions": transitions.map { TransitionView($0, page: page) },
            "documents": documents.map(DocumentView.init),
            "flagged": agreement.flaggedForReview,
            "canReview": canWrite && agreement.flaggedForReview,
            "reviewAction": "/partnerships/agreements/\(id)/reviewed",
        ]
        if let stateForm { data["form"] = stateForm }
        data["actions"] = Self.actions(agreement, page: page)
        if agreement.kind == .frameworkAgreement {
            data["activities"] = ["items": activities.map { ActivityView($0, page: page) }] as [String: Any]
        }
        if page.principal.holds(P.documentWrite) {
            var uploadForm = PageForm(
                action: "/partnerships/agreements/\(id)/documents",
                submit: page.text("uploadSubmit"),
                fields: [
                    FormField(
                        "content",
                        kind: .file,
                        label: page.text("uploadFile"),
                        required: true,
                        hint: page.text("uploadHint", ["max": DocumentView.size(store.settings.maxAttachmentBytes)])
                    )
                ]
            )
            uploadForm.enctype = "multipart/form-data"
            if let upload { uploadForm.fill(FormValues(), error: upload, in: page) }
            data["upload"] = uploadForm
        }
        if let account {
            let canPay = page.principal.holds(P.grantWrite) && [.granted, .paid, .reportDue].contains(agreement.state)
            var grant: [String: Any] =
                [
                    "planned": Kronor.text(account.planned, money), "paid": Kronor.text(account.paid, money),
                    "repaid": Kronor.text(account.repaid, money),
                    "payments": account.payments.map { payment in
                        [
                            "amount": Kronor.text(payment.amount, money), "plannedOn": payment.plannedOn?.description ?? "–",
                            "paidOn": payment.paidOn?.description ?? "–",
                            "paidLink": payment.paidOn != nil || !canPay
                                ? ""
                                : page.formLink("partnerships", "markGrantPaymentPaid", ["id": String(payment.id)], requiring: P.grantWrite) ?? "",
                        ]
                    },
                    "reports": account.reports.map { ["submittedOn": $0.submittedOn.description, "summary": $0.summary] },
                    "claims": account.claims.map { claim in
                        [
                            "amount": Kronor.text(claim.amount, money), "reason": claim.reason, "claimedOn": claim.claimedOn.description,
                            "repaidOn": claim.repaidOn?.description ?? "–", "repaidAmount": claim.repaidAmount.map { Kronor.text($0, money) } ?? "–",
                        ]
                    },
                    "hasClaims": !account.claims.isEmpty,
                ]
            if let used = account.used, let unused = account.unused {
                (grant["used"], grant["unused"]) = (Kronor.text(used, money), Kronor.text(unused, money))
            }
            if let proposed = account.proposedRepayment { grant["proposed"] = Kronor.text(proposed, money) }
            data["grant"] = grant
            if let proposal = Self.claimForm(agreement, account, page: page) { data["claimForm"] = proposal }
        }
        let refused = form != nil || upload != nil
        return try page.render("agreement", title: agreement.title, data, status: refused ? .unprocessableContent : .ok)
    }

    /// The repayment claim the unused money calls for (rule 20), as a form filled in with the
    /// amount and a reason: one click (and the confirmation every claim asks) makes it. Only when
    /// the grant may be claimed now and the viewer may change its state.
    static func claimForm(_ agreement: Agreement, _ account: GrantAccount, page: PageContext) -> PageForm? {
        guard let proposal = account.proposedRepayment, let used = account.used, page.principal.holds(P.agreementWrite),
            agreement.state.allowedNext.contains(.repaymentClaimed)
        else { return nil }
        let amount = page.language == .sv ? "\(proposal)".replacingOccurrences(of: ".", with: ",") : "\(proposal)"
        let reason = page.text("unusedReason", ["used": Kronor.text(used, page.language), "unused": Kronor.text(proposal, page.language)])
        return PageForm(
            action: "/partnerships/agreements/\(agreement.id)/state",
            submit: page.text("claimUnused"),
            fields: [
                FormField("state", kind: .hidden, label: page.text("nextState"), value: AgreementState.repaymentClaimed.rawValue),
                FormField("amount", label: page.text("repaymentAmount"), value: amount, required: true, hint: page.text("amountHint")),
                FormField("reason", kind: .textarea, label: page.text("repaymentReason"), value: reason, required: true),
            ]
        )
    }

    /// The states whose change a page of its own confirms first: ending an agreement, rejecting a
    /// grant, claiming a repayment.
    static let asksFirst: Set<AgreementState> = [.terminated, .expired, .rejected, .repaymentClaimed]

    /// The page that asks before a final or costly change of state: what will happen, what was
    /// entered, and a button that posts the same values again, confirmed (PageKit's
    /// `operationConfirm`, as the generic forms ask).
    static func confirmation(_ id: Int, _ change: AgreementStateChange, page: PageContext) throws -> PageResult {
        let labels = [
            "on": "changeOn", "comment": "comment", "amount": "repaymentAmount", "reason": "repaymentReason", "to": "renewedTo",
        ]
        var entered = [["label": page.text("nextState"), "value": page.text("state_" + change.state.rawValue)]]
        for pair in page.form.pairs where !pair.value.trimmingCharacters(in: .whitespaces).isEmpty {
            if let key = labels[pair.name] { entered.append(["label": page.text(key), "value": pair.value]) }
        }
        return try page.render(
            "operationConfirm",
            title: page.text("changeStateTitle"),
            [
                "action": "/partnerships/agreements/\(id)/state",
                "consequence": page.text("confirmState_" + change.state.rawValue),
                "entered": entered,
                "pairs": page.form.pairs.filter { !$0.name.hasPrefix("_") }.map { ["name": $0.name, "value": $0.value] },
                "confirmButton": page.text("confirmStateButton"),
                "back": "/partnerships/agreements/\(id)",
            ]
        )
    }

    /// The forms an agreement's page links to, those the viewer may use in the agreement's state:
    /// contributions and the procurement check, a grant's payments and report, a framework
    /// agreement's activities.
    static func actions(_ agreement: Agreement, page: PageContext) -> [[String: String]] {
        let id = ["id": String(agreement.id)]
        let (state, open) = (agreement.state, !agreement.state.isEnded)
        func link(_ key: String, _ operation: String, _ permission: Permission, when: Bool) -> (String, String?) {
            (key, when ? page.formLink("partnerships", operation, id, requiring: permission) : nil)
        }
        return page.actions([
            link("addContribution", "addAgreementContribution", P.agreementWrite, when: open),
            link("setResponsible", "setAgreementResponsible", P.agreementWrite, when: open),
            link("recordProcurementCheckLink", "recordProcurementCheck", P.agreementWrite, when: [.draft, .legalCheck].contains(state)),
            link("addPayment", "addGrantPayment", P.grantWrite, when: [.granted, .paid, .reportDue].contains(state)),
            link("submitReport", "submitGrantReport", P.grantWrite, when: [.paid, .reportDue].contains(state)),
            link("addActivity", "addAgreementActivity", P.activityWrite, when: open && agreement.kind == .frameworkAgreement),
        ])
    }

    /// The form that moves an agreement to one of its next states, with the fields those states need.
    static func stateForm(_ agreement: Agreement, page: PageContext) -> PageForm {
        let next = agreement.state.allowedNext
        var fields = [
            FormField(
                "state",
                kind: .select,
                label: page.text("nextState"),
                required: true,
                options: next.map { FormField.Option(value: $0.rawValue, label: page.text("state_" + $0.rawValue)) }
            ),
            FormField("on", kind: .date, label: page.text("changeOn"), hint: page.text("changeOnHint")),
            FormField("comment", kind: .textarea, label: page.text("comment")),
        ]
        if next.contains(.granted) {
            fields += [
                FormField("grantedAmount", label: page.text("grantedAmount"), hint: page.text("amountHint")),
                FormField("conditions", kind: .textarea, label: page.text("conditions")),
                FormField("reportDueOn", kind: .date, label: page.text("reportDueOn"), hint: page.text("reportDueOnHint")),
            ]
        }
        if next.contains(.repaymentClaimed) || next.contains(.repaid) {
            fields.append(FormField("amount", label: page.text("repaymentAmount"), hint: page.text("amountHint")))
        }
        if next.contains(.repaymentClaimed) { fields.append(FormField("reason", kind: .textarea, label: page.text("repaymentReason"))) }
        if next.contains(.renewed) {
            fields += [
                FormField("to", kind: .date, label: page.text("renewedTo")),
                FormField("reviewOn", kind: .date, label: page.text("renewedReviewOn")),
            ]
        }
        return PageForm(action: "/partnerships/agreements/\(agreement.id)/state", submit: page.text("changeState"), fields: fields)
    }

    /// The change a posted state form describes; a day or an amount that does not read names its field.
    static func stateChange(_ form: FormValues, page: PageContext) throws(FeatureError) -> AgreementStateChange {
        guard let state = form["state"].flatMap(AgreementState.init(rawValue:)) else {
            throw FeatureError(.invalidInput, page.text("errorChooseState"), field: "/state")
        }
        func date(_ name: String) throws(FeatureError) -> LocalDate? {
            guard let text = form[name] else { return nil }
            guard let day = try? LocalDate(input: text) else { throw FeatureError(.invalidInput, page.text("errorDate"), field: "/" + name) }
            return day
        }
        func amount(_ name: String) throws(FeatureError) -> Decimal? {
            guard let text = form[name] else { return nil }
            let plain = text.replacingOccurrences(of: "kr", with: "").filter { !$0.isWhitespace }.replacingOccurrences(of: ",", with: ".")
            guard !plain.isEmpty, plain.allSatisfy({ $0.isNumber || $0 == "." }), let value = Decimal(string: plain) else {
                throw FeatureError(.invalidInput, page.text("errorAmount"), field: "/" + name)
            }
            return value
        }
        return AgreementStateChange(
            state: state,
            on: try date("on"),
            comment: form["comment"],
            grantedAmount: try amount("grantedAmount"),
            conditions: form["conditions"],
            reportDueOn: try date("reportDueOn"),
            amount: try amount("amount"),
            reason: form["reason"],
            to: try date("to"),
            reviewOn: try date("reviewOn")
        )
    }

    // MARK: - Ledger

    func ledger(request: Request, page: PageContext) async throws -> PageResult {
        let (organisation, year, reach) = (try request.queryInt("organisation"), try request.queryYear("year"), reach(page))
        let (lines, recipients) = try await store.database.withConnection { db in
            (
                try store.ledger(year: year, organisationId: organisation, reach: reach, in: db),
                try store.ledgerRecipients(reach: reach, in: db)
            )
        }
        if request.wantsCSV {
            return .csv(PartnershipCSV.ledger(lines, remaining: true), filename: "bidragsreskontra\(year.map { "-\($0)" } ?? "").csv")
        }
        let organisations =
            [FormField.Option(value: "", label: page.text("allOrganisations"), selected: organisation == nil)]
            + recipients.map { FormField.Option(value: String($0.id), label: $0.name, selected: $0.id == organisation) }
        var csvQuery = [("format", "csv")]
        if let organisation { csvQuery.insert(("organisation", String(organisation)), at: 0) }
        if let year { csvQuery.insert(("year", String(year)), at: 0) }
        let money = page.language
        let sum = { (value: (LedgerLine) -> Decimal) in Kronor.text(lines.reduce(0) { $0 + value($1) }, money) }
        return try page.render(
            "ledger",
            title: page.text("ledgerTitle"),
            [
                "lines": lines.map { LedgerLineView($0, page: page) },
                "organisations": organisations,
                "year": year.map(String.init) ?? "",
                "csvURL": "/partnerships/ledger?" + csvQuery.map { "\($0.0)=\($0.1)" }.joined(separator: "&"),
                "totals": [
                    "grants": lines.reduce(0) { $0 + $1.grants }, "applied": sum(\.applied), "granted": sum(\.granted), "paid": sum(\.paid),
                    "repaid": sum(\.repaid), "remaining": sum(\.remaining),
                ] as [String: Any],
            ]
        )
    }

    // MARK: - Contributions to shared pages

    /// The follow-up items (reviews, ends, reports due or overdue, agreements flagged for review)
    /// among the agreements within reach, each linking to its agreement.
    func attention(context: PageContext) async throws -> [AttentionItem] {
        guard context.principal.holds(P.read) else { return [] }
        let (today, reach) = (LocalDate.today(), reach(context))
        let followUp = try await store.database.withConnection { db in try store.followUp(asOf: today, reach: reach, in: db) }
        return followUp.due.map { due in
            AttentionItem(
                title: context.text("attention_" + due.kind.rawValue),
                subject: due.title,
                due: due.on,
                overdue: due.overdue,
                link: "/partnerships/agreements/\(due.agreementId)"
            )
        }
    }

    /// The organisation's agreements within reach and this year's grants to it.
    func organisationSection(_ organisationID: Int, context: PageContext) async throws -> PageSection? {
        guard context.principal.holds(P.read) else { return nil }
        let (year, reach) = (LocalDate.today().year, reach(context))
        let (agreements, grants) = try await store.database.withConnection { db in
            (
                try store.agreementList(
                    text: nil,
                    kind: nil,
                    organisationId: organisationID,
                    orderBy: "a.from_date DESC, a.id DESC",
                    limit: 100,
                    offset: 0,
                    reach: reach,
                    in: db
                ).rows,
                try store.ledger(year: year, organisationId: organisationID, reach: reach, in: db)
            )
        }
        guard !agreements.isEmpty || !grants.isEmpty else { return nil }
        let html = try context.fragment(
            "organisationSection",
            [
                "agreements": agreements.map { AgreementRowView($0, page: context) }, "hasAgreements": !agreements.isEmpty,
                "grants": grants.map { LedgerLineView($0, page: context) }, "hasGrants": !grants.isEmpty,
                "grantsTitle": context.text("sectionGrants", ["year": String(year)]),
                "ledgerLink": "/partnerships/ledger?organisation=\(organisationID)",
            ]
        )
        return PageSection(title: context.text("sectionTitle"), html: html, link: "/partnerships")
    }
}
