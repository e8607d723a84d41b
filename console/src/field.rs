//! Form fields that show the API's refusal beside them when the refusal names them
//! (`details.parameter`), and mark themselves invalid for assistive technology; and the
//! form-level alert for a refusal that no field of the form shows.

use leptos::prelude::*;

use crate::{Problem, ProblemView};

/// The element id of the field for the API parameter `parameter`: `variants[0].price` becomes
/// `field-variants-0-price`. Brackets, dots and slashes would need escaping in a CSS selector
/// (`#field-variants[0].price` selects nothing), so every character other than an ASCII letter,
/// digit, `-` or `_` becomes a hyphen, and runs of hyphens collapse into one.
pub fn field_id(parameter: &str) -> String {
    let mut id = String::from("field-");
    for c in parameter.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '-'
        };
        if !(c == '-' && id.ends_with('-')) {
            id.push(c);
        }
    }
    while id.ends_with('-') {
        id.pop();
    }
    id
}

/// Whether a refusal of `refused` (the API's `details.parameter`) belongs to the field of
/// `parameter`: the same name, or a part of it. The API names the part that failed
/// (`variants[0].price.amount`, `attributes/size`); the console has one field for the whole.
pub fn names_field(refused: &str, parameter: &str) -> bool {
    refused
        .strip_prefix(parameter)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[', '/']))
}

/// The message of `problem` when it belongs to the field of `parameter` (or, `exact`, only when
/// it names that very parameter: a group whose members show their own refusals).
fn refusal(
    problem: ReadSignal<Option<Problem>>,
    parameter: String,
    exact: bool,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        problem.with(|problem| {
            problem
                .as_ref()
                .filter(|p| {
                    p.field.as_deref().is_some_and(|field| {
                        field == parameter || (!exact && names_field(field, &parameter))
                    })
                })
                .map(|p| p.reason().to_owned())
        })
    })
}

/// The refusal of a field (or a group of fields), under it; the field's control points at it
/// with `aria-describedby`.
#[component]
pub fn FieldError(
    /// The field's name in the API.
    #[prop(into)]
    parameter: String,
    problem: ReadSignal<Option<Problem>>,
    /// Only a refusal naming exactly `parameter`, not one of its parts.
    #[prop(optional)]
    exact: bool,
) -> impl IntoView {
    let id = format!("{}-error", field_id(&parameter));
    view! { <span id=id class="field-error">{refusal(problem, parameter, exact)}</span> }
}

/// The mark of a required field: seen, not read aloud (the control says `aria-required`).
fn required_mark() -> impl IntoView {
    view! { <span class="required" aria-hidden="true">" *"</span> }
}

/// A text field (an input, or a textarea with `multiline`) that shows the API's refusal when
/// it names this field.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    /// The field's name in the API (`details.parameter`).
    #[prop(into)]
    parameter: String,
    value: RwSignal<String>,
    problem: ReadSignal<Option<Problem>>,
    #[prop(optional)] multiline: bool,
    /// Lines of a multiline field (4 when not given).
    #[prop(optional)]
    rows: Option<u32>,
    /// The input's type (`text` when not given), e.g. `password`, `email` or `number`.
    #[prop(optional)]
    kind: Option<&'static str>,
    /// The browser's autofill hint, e.g. `new-password`.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// The on-screen keyboard to offer, e.g. `decimal` for prices.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// A short help text under the label.
    #[prop(optional, into)]
    hint: MaybeProp<String>,
    /// Marked as required (the API checks it; the form does not block on it).
    #[prop(optional)]
    required: bool,
    /// Bounds and step of a number input.
    #[prop(optional, into)]
    min: MaybeProp<String>,
    #[prop(optional, into)] max: MaybeProp<String>,
    #[prop(optional)] step: Option<&'static str>,
    /// The id of a `<datalist>` of suggestions.
    #[prop(optional, into)]
    list: MaybeProp<String>,
) -> impl IntoView {
    let (hint, min, max, list) = (
        hint.get_untracked(),
        min.get_untracked(),
        max.get_untracked(),
        list.get_untracked(),
    );
    let id = field_id(&parameter);
    let invalid = refusal(problem, parameter.clone(), false);
    let hint_id = hint.as_ref().map(|_| format!("{id}-hint"));
    let described = match &hint_id {
        Some(hint_id) => format!("{hint_id} {id}-error"),
        None => format!("{id}-error"),
    };
    let aria_invalid = move || invalid.with(Option::is_some).to_string();
    let control = if multiline {
        view! {
            <textarea id=id.clone() rows=rows.unwrap_or(4) aria-invalid=aria_invalid aria-describedby=described
                aria-required=required.then_some("true")
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type=kind.unwrap_or("text") autocomplete=autocomplete inputmode=inputmode
                min=min max=max step=step list=list
                aria-invalid=aria_invalid aria-describedby=described
                aria-required=required.then_some("true")
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
        }
        .into_any()
    };
    // The hint under the control, as forms usually put help text; the control's description
    // reads it with the refusal whatever their order.
    view! {
        <label for=id class="field-label">{label}{required.then(required_mark)}</label>
        {control}
        {hint.zip(hint_id).map(|(hint, hint_id)| view! { <span id=hint_id class="hint">{hint}</span> })}
        <FieldError parameter=parameter problem=problem />
    }
}

/// A choice among `options` (value, label), shown as a select, with the API's refusal.
#[component]
pub fn SelectField(
    #[prop(into)] label: String,
    /// The field's name in the API.
    #[prop(into)]
    parameter: String,
    /// The chosen option's value.
    value: RwSignal<String>,
    /// Values and labels, in order.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    problem: ReadSignal<Option<Problem>>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let id = field_id(&parameter);
    let invalid = refusal(problem, parameter.clone(), false);
    view! {
        <label for=id.clone() class="field-label">{label}{required.then(required_mark)}</label>
        <select id=id.clone() aria-invalid=move || invalid.with(Option::is_some).to_string()
            aria-describedby=format!("{id}-error") aria-required=required.then_some("true")
            on:change=move |ev| value.set(event_target_value(&ev))>
            {move || options.get().into_iter().map(|(option, text)| {
                let chosen = option.clone();
                view! { <option value=option prop:selected=move || value.get() == chosen>{text}</option> }
            }).collect_view()}
        </select>
        <FieldError parameter=parameter problem=problem />
    }
}

/// A yes/no field, shown as a checkbox with its label beside it.
#[component]
pub fn CheckField(
    #[prop(into)] label: String,
    /// The field's name in the API.
    #[prop(into)]
    parameter: String,
    checked: RwSignal<bool>,
    problem: ReadSignal<Option<Problem>>,
) -> impl IntoView {
    let id = field_id(&parameter);
    let invalid = refusal(problem, parameter.clone(), false);
    view! {
        <label class="check">
            <input id=id.clone() type="checkbox" prop:checked=move || checked.get()
                aria-invalid=move || invalid.with(Option::is_some).to_string()
                aria-describedby=format!("{id}-error")
                on:change=move |ev| checked.set(event_target_checked(&ev)) />
            {label}
        </label>
        <FieldError parameter=parameter problem=problem />
    }
}

/// The fields a form shows refusals beside (by their API names, or a rule for forms whose
/// fields are numbered, such as `banners[2].title`); see [`FormProblem`].
#[derive(Debug, Clone, Copy)]
pub enum Placed {
    /// These parameters (and their parts).
    Names(Signal<Vec<String>>),
    /// The parameters for which the rule holds.
    Rule(fn(&str) -> bool),
}

impl From<fn(&str) -> bool> for Placed {
    fn from(rule: fn(&str) -> bool) -> Self {
        Self::Rule(rule)
    }
}

impl<const N: usize> From<[&str; N]> for Placed {
    fn from(parameters: [&str; N]) -> Self {
        Self::from(parameters.map(str::to_owned).to_vec())
    }
}

impl From<Vec<String>> for Placed {
    fn from(parameters: Vec<String>) -> Self {
        Self::Names(Signal::stored(parameters))
    }
}

/// Fields that come and go (the attributes of the chosen product type).
impl From<Signal<Vec<String>>> for Placed {
    fn from(parameters: Signal<Vec<String>>) -> Self {
        Self::Names(parameters)
    }
}

impl Default for Placed {
    fn default() -> Self {
        Self::from(Vec::new())
    }
}

impl Placed {
    fn shows(&self, refused: &str) -> bool {
        match self {
            Self::Names(names) => {
                names.with(|parameters| parameters.iter().any(|p| names_field(refused, p)))
            }
            Self::Rule(rule) => rule(refused),
        }
    }
}

/// The form's alert for a problem that no field of it shows: a failure naming no field (a
/// conflict, the network), or a refusal of a field the form does not have.
#[component]
pub fn FormProblem(
    problem: ReadSignal<Option<Problem>>,
    /// The fields that show their own refusals.
    #[prop(optional, into)]
    placed: Placed,
) -> impl IntoView {
    let unplaced = Signal::derive(move || {
        problem
            .get()
            .filter(|p| !p.field.as_deref().is_some_and(|field| placed.shows(field)))
    });
    view! { <ProblemView problem=unplaced /> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_css_identifiers() {
        assert_eq!(field_id("variants[0].price"), "field-variants-0-price");
        assert_eq!(
            field_id("attributes/weightGrams"),
            "field-attributes-weightGrams"
        );
        assert_eq!(field_id("name"), "field-name");
    }

    #[test]
    fn a_refusal_of_a_part_belongs_to_the_field() {
        assert!(names_field("variants[0].price.amount", "variants[0].price"));
        assert!(names_field("attributes/size", "attributes"));
        assert!(names_field("name", "name"));
        assert!(!names_field("variants[10].price", "variants[1]"));
        assert!(!names_field("nameSuffix", "name"));
    }
}
