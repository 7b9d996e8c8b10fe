import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PageKit
import PluginKit
import Registry
import Testing

@testable import Host

/// The page forms derived from the API documents: which write operations have one, and that
/// each renders for a user allowed to use it.
@Suite("Page forms from the API documents")
struct OperationFormTests {
    /// A migrated host with every feature on.
    static func everyFeature() async throws -> HostRuntime {
        try await HostFixture.accessRuntime(features: HostFixture.everyFeature, plugins: AvailablePlugins.all)
    }

    /// Every API document by where its forms are: each feature's, and the host's own at `admin`.
    static func documents(_ runtime: HostRuntime) throws -> [String: APIDocument] {
        try runtime.features.apiDocuments().merging([AdminPages.id: runtime.hostDocument()]) { feature, _ in feature }
    }

    @Test("every write operation has a form with its texts in Swedish and English, or a page of its own, or a reason on the one list")
    func everyWriteHasAForm() async throws {
        let runtime = try await Self.everyFeature()
        let documents = try Self.documents(runtime)
        let providers = try HostPages(runtime: runtime).providers
        var missing: [String] = []
        var writes = 0
        for (feature, document) in documents.sorted(by: { $0.key < $1.key }) {
            let strings = try #require(providers.first { $0.featureID == feature }, "\(feature) has pages").pages.templates.strings
            func need(_ keys: [String], _ what: String) {
                guard let key = keys.first(where: { strings.entries[$0] != nil }) else {
                    return missing.append(what + " (" + keys.joined(separator: " or ") + ")")
                }
                if strings.entries[key]?[.sv]?.isEmpty != false || strings.entries[key]?[.en]?.isEmpty != false {
                    missing.append(what + ": \(key) lacks a language")
                }
            }
            for operation in document.operations where OperationForm.isWrite(operation) {
                writes += 1
                let name = "\(feature).\(operation.id)"
                if let reason = MachineOperations.reason(feature: document.featureID, operation: operation.id) {
                    #expect(reason.count > 30, "\(name): the reason says why")
                    continue
                }
                let form = OperationForm(document: document, operation: operation)
                for (path, permission) in form.options.restricted {
                    #expect(document.permissions[permission.id] != nil, "\(name): \(path) is restricted to a permission the feature declares")
                }
                if form.options.page != nil { continue }
                need(["form.\(operation.id).title"], "\(name): its title")
                if !form.options.confirm.isEmpty { need(["form.\(operation.id).confirm"], "\(name): what confirming does") }
                for (path, shape) in form.labelledPaths() {
                    need(OperationForm.Texts.labelKeys(operation.id, path), "\(name): the label of \(path)")
                    let property = path.split(separator: ".").last.map(String.init) ?? path
                    switch shape {
                    case .choice(let cases), .list(let cases):
                        for value in cases {
                            need(["form.\(operation.id).\(path).\(value)", "value.\(property).\(value)"], "\(name): the name of \(path) = \(value)")
                        }
                    default: break
                    }
                }
            }
        }
        #expect(writes > 40, "the documents' write operations were found")
        #expect(missing.isEmpty, "\(missing.count) texts missing:\n\(missing.joined(separator: "\n"))")
        for key in MachineOperations.reasons.keys {
            let parts = key.split(separator: ".").map(String.init)
            #expect(documents[parts[0]]?.operations.contains { $0.id == parts[1] } == true, "\(key) on the machine list is an operation")
        }
    }

    @Test("every generic form renders for the administrator: fields with labels, the form posting back to itself")
    func everyFormRenders() async throws {
        let (runtime, _) = try await HostFixture.demoRuntime()
        let documents = try Self.documents(runtime)
        try await buildApplication(runtime: runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-admin", password: HostFixture.pagePassword)
            for (feature, document) in documents.sorted(by: { $0.key < $1.key }) {
                for form in OperationForms.forms(in: document, pagesID: feature) {
                    let query = form.pathParameters.map { "\($0)=1" }.joined(separator: "&")
                    let page = try await browser.get(form.pagePath + (query.isEmpty ? "" : "?" + query))
                    // An edit reads its record first: record 1 may not exist (404), which is no fault of the form.
                    let allowed: [HTTPResponse.Status] = form.options.prefill == nil ? [.ok] : [.ok, .notFound]
                    #expect(allowed.contains(page.status), "\(feature).\(form.operation.id): \(page.status)")
                    guard page.status == .ok else { continue }
                    #expect(page.body.contains(#"<form method="post" action="\#(form.pagePath)"#), "\(feature).\(form.operation.id) posts to itself")
                }
            }
        }
    }

    @Test("an organisation's state form offers only the states it may move to, as the registry document states and the model allows")
    func organisationTransitions() async throws {
        let url = try #require(RegistryPlugin.apiDocument)
        let permissions = try RegistryPlugin(settings: ConfigSection(path: "features.registry", value: nil)).permissions
        #expect(
            try DocumentedTransitions.of("OrganisationState", in: url, permissions: permissions)
                == Dictionary(uniqueKeysWithValues: OrganisationState.allCases.map { ($0.rawValue, $0.allowedNext.map(\.rawValue).sorted()) })
        )
        let f = try await PageTests.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let form = try await browser.get("/registry/forms/changeOrganisationState?id=\(f.inReach)")
            #expect(form.status == .ok)
            #expect(form.body.contains(#"value="woundUp""#), "an active organisation may be wound up")
            #expect(!form.body.contains(#"value="prospect""#), "but never become a prospect again")
        }
    }
}
