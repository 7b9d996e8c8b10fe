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
        for index in fields.indices where fields[index].kind != .password {
            let name = fields[index].name
            switch fields[index].kind {
            case .checkbox: fields[index].checked = values.raw(name) != nil
            case .select:
                let chosen = values.raw(name) ?? ""
                for option in fields[index].options.indices {
                    fields[index].options[option].selected = fields[index].options[option].value == chosen
                }
            default: fields[index].value = values.raw(name) ?? ""
            }
        }
        guard let error else { return }
        defer { hasErrors = !errors.isEmpty }
        let problems = error.problems.isEmpty ? [FieldProblem(pointer: error.field ?? "", detail: error.message)] : error.problems
        for problem in problems {
            let components = problem.pointer.split(separator: "/").map(String.init)
            if let index = fields.firstIndex(where: { components.first == $0.name })
                ?? fields.firstIndex(where: { field in components.contains(field.name) })
            {
                fields[index].error = fields[index].error.map { $0 + " " + problem.detail } ?? problem.detail
                errors.append(ErrorLink(anchor: "#" + fields[index].id, label: fields[index].label, message: problem.detail))
            } else {
                errors.append(ErrorLink(anchor: "", label: "", message: problem.detail))
            }
        }
    }
}

/// A field of a ``PageForm``.
public struct FormField: Sendable, Hashable {
    /// What kind of control it is.
    public enum Kind: String, Sendable, Hashable {
        case text, number, date, email, password, textarea, select, checkbox, hidden
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
        self.id = "f-" + name
        self.type = kind.rawValue
        self.isInput = ![.textarea, .select, .checkbox, .hidden].contains(kind)
        self.isTextarea = kind == .textarea
        self.isSelect = kind == .select
        self.isCheckbox = kind == .checkbox
        self.isHidden = kind == .hidden
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
}
