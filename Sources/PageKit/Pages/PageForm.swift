public import PluginKit

/// A form as the shared `form` partial renders it: every field with its label, hint, value and
/// error beside it, the errors summarised at the top with links to their fields (WCAG 3.3.1),
/// the CSRF and double-submit tokens, and one submit button.
///
/// A rejected form comes back filled in with what was posted:
///
/// ```swift
/// var form = PageForm(action: "/supervision/sessions", submit: page.text("save"), fields: [
///     .text("topic", label: page.text("topic"), required: true),
///     .date("date", label: page.text("date"), required: true),
/// ])
/// do { … } catch let error as FeatureError {
///     form.fill(page.form, error: error, in: page)
///     return try page.render("session", title: …, ["form": form], status: .unprocessableContent)
/// }
/// ```
public struct PageForm: Sendable {
    /// Where the form posts.
    public var action: String
    /// The submit button's text.
    public var submit: String
    /// The fields in order.
    public var fields: [FormField]
    /// The errors, for the summary at the top.
    public var errors: [ErrorLink] = []
    /// Whether there are errors (stored: templates see stored properties only).
    public private(set) var hasErrors = false
    /// `multipart/form-data` for a form with a ``FormField/Kind/file`` field; `nil` for a plain form.
    public var enctype: String?

    /// An error in the summary, linking to its field.
    public struct ErrorLink: Sendable, Hashable {
        /// `#f-<name>`, or empty for an error of the whole form.
        public var anchor: String
        /// The field's label, if it concerns one.
        public var label: String
        /// What is wrong.
        public var message: String
    }

    /// Creates a form.
    public init(action: String, submit: String, fields: [FormField]) {
        self.action = action
        self.submit = submit
        self.fields = fields
    }

    /// Fills the form as ``fill(_:error:)`` does, with the error in the viewer's language
    /// (``PageContext/localized(_:)``): what a page's form does with a refusal.
    public mutating func fill(_ values: FormValues, error: FeatureError, in page: PageContext) {
        fill(values, error: page.localized(error))
    }

    /// Fills the fields with what was posted and puts each error beside its field.
    ///
    /// An error's field is matched by name (`/name` and `name` both find the field `name`;
    /// `/contact/email` finds `email` when there is no field `contact`); one that matches no
    /// field is listed in the summary for the whole form.
    ///
    /// - Parameters:
    ///   - values: The posted form.
    ///   - error: Why it was refused.
    public mutating func fill(_ values: FormValues, error: FeatureError? = nil) {
        for index in fields.indices { fields[index].fill(values) }
        guard let error else { return }
        let problems = error.problems.isEmpty ? [FieldProblem(pointer: error.field ?? "", detail: error.message)] : error.problems
        mark(problems)
    }

    /// Puts each problem beside its field and in the summary: a pointer finds the field of its
    /// dotted name (`/contact/email` → `contact.email`, `/roles/0/from` → `roles.0.from`), else the
    /// field named by its first or any of its parts; one that finds no field is an error of the
    /// whole form.
    public mutating func mark(_ problems: [FieldProblem]) {
        defer { hasErrors = !errors.isEmpty }
        for problem in problems {
            let components = problem.pointer.split(separator: "/").map(String.init)
            let dotted = components.joined(separator: ".")
            let names = allFields.map(\.name)
            let target =
                names.first { $0 == dotted } ?? names.first { components.first == $0 }
                ?? names.first { name in components.contains(name) }
            guard let target else {
                errors.append(ErrorLink(anchor: "", label: "", message: problem.detail))
                continue
            }
            var link: ErrorLink?
            for index in fields.indices {
                fields[index].visit { field in
                    guard field.name == target, link == nil else { return }
                    field.error = field.error.map { $0 + " " + problem.detail } ?? problem.detail
                    link = ErrorLink(anchor: "#" + field.id, label: field.label, message: problem.detail)
                }
            }
            if let link { errors.append(link) }
        }
    }

    /// Every field, those inside groups included, in order.
    public var allFields: [FormField] { fields.flatMap(\.flattened) }
}

/// A field of a ``PageForm``.
public struct FormField: Sendable, Hashable {
    /// What kind of control it is.
    public enum Kind: String, Sendable, Hashable {
        case text, number, date, email, password, textarea, select, checkbox, hidden
        /// A file to upload (the form needs ``PageForm/enctype`` `multipart/form-data`); never filled back in.
        case file
        /// Several checkboxes under one name (a list of values: topics, the people present).
        case choices
        /// A record chosen by name: a select of candidates with a search box that narrows them
        /// (search, then pick; no script needed).
        case reference
        /// A fieldset of ``FormField/children`` (an object of the API: a contact, the ASF criteria).
        case group
    }

    /// The posted name (the JSON key of the API, so errors find their field).
    public var name: String
    /// The control.
    public let kind: Kind
    /// The label's text.
    public var label: String
    /// The current value.
    public var value: String
    /// Whether it must be filled in.
    public var required: Bool
    /// A hint shown under the label.
    public var hint: String?
    /// What is wrong with it, shown beside it.
    public var error: String?
    /// A checkbox's state.
    public var checked: Bool = false
    /// A select's options.
    public var options: [Option] = []
    /// The `autocomplete` attribute (`username`, `current-password`, `off`).
    public var autocomplete: String?
    /// A number's `min`, `max` and `step`, as the input writes them.
    public var minimum: String?
    /// A number's `max`.
    public var maximum: String?
    /// A number's `step` (`1` for whole numbers, `any` otherwise).
    public var step: String?
    /// The most characters a text may have (`maxlength`).
    public var maxLength: Int?
    /// The `inputmode` attribute (`decimal` for an amount in kronor).
    public var inputMode: String?
    /// A ``Kind/reference``'s search text, as typed.
    public var query: String = ""
    /// A ``Kind/group``'s fields.
    public var children: [FormField] = []
    /// Whether a group is a list of rows, with a button that adds one.
    public var addsRows = false

    /// A choice of a select.
    public struct Option: Sendable, Hashable {
        /// The posted value.
        public var value: String
        /// What the user sees.
        public var label: String
        /// Whether it is chosen.
        public var selected: Bool

        /// Creates an option.
        public init(value: String, label: String, selected: Bool = false) {
            self.value = value
            self.label = label
            self.selected = selected
        }
    }

    /// Creates a field.
    public init(
        _ name: String,
        kind: Kind = .text,
        label: String,
        value: String = "",
        required: Bool = false,
        hint: String? = nil,
        options: [Option] = [],
        autocomplete: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.label = label
        self.value = value
        self.required = required
        self.hint = hint
        self.options = options
        self.autocomplete = autocomplete
        self.id = "f-" + String(name.map { $0 == "." ? "-" : $0 })
        self.type = kind.rawValue
        self.isInput = ![.textarea, .select, .checkbox, .hidden, .choices, .reference, .group].contains(kind)
        self.isTextarea = kind == .textarea
        self.isSelect = kind == .select
        self.isCheckbox = kind == .checkbox
        self.isHidden = kind == .hidden
        self.isChoices = kind == .choices
        self.isReference = kind == .reference
        self.isGroup = kind == .group
    }

    /// The field and, for a group, every field inside it, in order.
    public var flattened: [FormField] { isGroup ? children.flatMap(\.flattened) : [self] }

    /// Calls `body` on the field, or on each field inside a group.
    public mutating func visit(_ body: (inout FormField) -> Void) {
        guard isGroup else { return body(&self) }
        for index in children.indices { children[index].visit(body) }
    }

    /// Takes the posted value (a checkbox's state, a select's or a list's choice) from `values`;
    /// a password or a file is never filled back in.
    public mutating func fill(_ values: FormValues) {
        visit { field in
            switch field.kind {
            case .password, .group, .file: return
            case .checkbox: field.checked = values.raw(field.name) != nil
            case .select, .reference:
                let chosen = values.raw(field.name) ?? ""
                field.value = chosen
                for option in field.options.indices { field.options[option].selected = field.options[option].value == chosen }
                if field.kind == .reference { field.query = values.raw(field.name + ".q") ?? "" }
            case .choices:
                let chosen = Set(values.all(field.name))
                for option in field.options.indices { field.options[option].selected = chosen.contains(field.options[option].value) }
            default: field.value = values.raw(field.name) ?? ""
            }
        }
    }

    // Stored, not computed: templates read a value through reflection, which sees stored
    // properties only.
    /// The element id (`f-<name>`), the target of the label and of the error summary's link.
    public let id: String
    /// The `type` of an `<input>`.
    public let type: String
    /// Whether it is an `<input>` (not a textarea, select or checkbox).
    public let isInput: Bool
    /// Whether it is a `<textarea>`.
    public let isTextarea: Bool
    /// Whether it is a `<select>`.
    public let isSelect: Bool
    /// Whether it is a checkbox.
    public let isCheckbox: Bool
    /// Whether it is hidden.
    public let isHidden: Bool
    /// Whether it is a group of checkboxes.
    public let isChoices: Bool
    /// Whether it is a record chosen by name.
    public let isReference: Bool
    /// Whether it is a fieldset of fields.
    public let isGroup: Bool
}
