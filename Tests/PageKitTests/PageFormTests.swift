import FeatureSupport
import Foundation
import Hummingbird
import PluginKit
import Testing

@testable import PageKit

/// Forms come back filled in with each error at its field; posted bodies and local paths are
/// read safely; catalogues fall back to Swedish and report what is missing.
@Suite("Page forms, form values, catalogues")
struct PageFormTests {
    static func form() -> PageForm {
        PageForm(
            action: "/registry/organisations",
            submit: "Spara",
            fields: [
                FormField("name", label: "Namn", required: true),
                FormField(
                    "kind",
                    kind: .select,
                    label: "Typ",
                    options: [.init(value: "cooperative", label: "Kooperativ"), .init(value: "association", label: "Förening")]
                ),
                FormField("secret", kind: .password, label: "Lösenord"),
                FormField("active", kind: .checkbox, label: "Aktiv"),
                FormField("email", kind: .email, label: "E-post"),
            ]
        )
    }

    @Test("a posted form decodes +, %XX, repeated names and empty values")
    func formValues() {
        let values = FormValues(urlEncoded: "name=Caf%C3%A9+Gl%C3%A4ntan&present=3&present=7&empty=&flag")
        #expect(values["name"] == "Café Gläntan")
        #expect(values.all("present") == ["3", "7"])
        #expect(values["empty"] == nil)
        #expect(values.raw("empty") == "")
        #expect(values.raw("flag") == "")
        #expect(values["missing"] == nil)
    }

    @Test("fill keeps what was posted (never a password) and puts each error at its field and in the summary")
    func fill() {
        var form = Self.form()
        let posted = FormValues([("name", "  Returbutiken  "), ("kind", "association"), ("secret", "hunter2"), ("active", "on"), ("email", "x@")])
        let error = FeatureError(
            .invalidInput,
            "2 fields are wrong",
            problems: [
                FieldProblem(pointer: "/contact/email", detail: "is not an e-mail address"), FieldProblem(pointer: "/state", detail: "no such state"),
            ]
        )
        form.fill(posted, error: error)
        #expect(form.fields[0].value == "  Returbutiken  ", "as typed")
        #expect(form.fields[1].options.map(\.selected) == [false, true])
        #expect(form.fields[2].value == "", "a password is never sent back")
        #expect(form.fields[3].checked)
        #expect(form.fields[4].error == "is not an e-mail address", "/contact/email finds the field email")
        #expect(form.hasErrors)
        #expect(form.errors.map(\.anchor) == ["#f-email", ""], "an error of no field is listed for the whole form")
    }

    @Test("a single error names its field by pointer")
    func singleError() {
        var form = Self.form()
        form.fill(FormValues([("name", "")]), error: FeatureError(.invalidInput, "must not be empty", field: "/name"))
        #expect(form.fields[0].error == "must not be empty")
        #expect(form.errors.first?.label == "Namn")
    }

    @Test("only paths of this host are redirect targets")
    func localPaths() {
        #expect(LocalPath.safe("/registry/organisations?q=x") == "/registry/organisations?q=x")
        for hostile in ["//evil.example", "https://evil.example", "/\\evil", "javascript:alert(1)", "/a\r\nSet-Cookie: x", ""] {
            #expect(LocalPath.safe(hostile) == "/", "\(hostile)")
        }
        #expect(LocalPath.safe(nil) == "/")
    }

    @Test("a notice survives its cookie whatever its characters")
    func notice() throws {
        let cookie = Notice.cookie("Sessionen är sparad; \"klart\" = ja")
        #expect(Notice.text(ofCookie: cookie.value) == "Sessionen är sparad; \"klart\" = ja")
        #expect(!cookie.value.contains(";") && !cookie.value.contains("="))
    }

    @Test("a catalogue falls back to Swedish, then to the key, and lists what lacks a translation")
    func catalogue() {
        let catalogue = StringCatalogue(["save": [.sv: "Spara", .en: "Save"], "only": [.sv: "Bara svenska"]])
        #expect(catalogue.text("save", .en) == "Save")
        #expect(catalogue.text("only", .en) == "Bara svenska")
        #expect(catalogue.text("missing", .sv) == "missing")
        #expect(catalogue.untranslatedKeys == ["only"])
        #expect(Language(code: "en") == .en)
        #expect(Language(code: "de") == .sv)
        #expect(Language(code: nil) == .sv)
    }

    @Test("a refusal reads in the viewer's language with its values, and in English where the catalogue lacks its text")
    func refusalWording() throws {
        let catalogue = StringCatalogue([
            "error_outOfRange": [.sv: "Ange ett tal från {low} till {high}.", .en: "Give a number from {low} to {high}."]
        ])
        do {
            _ = try Input.number(0, field: "/minutes", in: 1...720)
            Issue.record("0 is outside 1–720")
        } catch {
            #expect(error.message == "must be between 1 and 720, not 0", "the API's English message is unchanged")
            #expect(catalogue.message(for: error, .sv) == "Ange ett tal från 1 till 720.")
            #expect(catalogue.message(for: error, .en) == "Give a number from 1 to 720.")
            #expect(StringCatalogue().message(for: error, .sv) == error.message, "no text: the English message")
        }
        let unworded = FeatureError(.conflict, "already there")
        #expect(catalogue.message(for: unworded, .sv) == "already there")
        #expect(Wording("x", ["a": "1", "b": "{a}"]).filling("{a}-{b}-{c}") == "1-{a}-{c}", "a value is not filled in again")
        let cooperative = Wording("x", ["name": "Café Gläntan ek. för."])
        #expect(cooperative.filling("Kooperativen: {name}.") == "Kooperativen: Café Gläntan ek. för.", "one full stop, not two")
        #expect(cooperative.filling("{name}, {name}") == "Café Gläntan ek. för., Café Gläntan ek. för.")
    }

    @Test("the shared partials load, and every text they use is in the shared catalogue in both languages")
    func sharedTemplates() throws {
        let shared = try PageTemplates.sharedResources
        for name in ["form", "field", "errorSummary", "formTokens", "listSearch", "listHead", "pager"] {
            #expect(shared.sources[name] != nil, "\(name).mustache")
        }
        #expect(shared.strings.untranslatedKeys.isEmpty)
    }
}
