//! A form field that shows the API's refusal beside it when the refusal names it
//! (`details.parameter`), and marks itself invalid for assistive technology.

use leptos::prelude::*;

use crate::Problem;

/// A text field that shows the API's refusal when it names this field.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    /// The field's name in the API (`details.parameter`).
    parameter: &'static str,
    value: RwSignal<String>,
    problem: ReadSignal<Option<Problem>>,
    #[prop(optional)] multiline: bool,
    /// The input's type (`text` when not given), e.g. `password` or `email`.
    #[prop(optional)]
    kind: Option<&'static str>,
    /// The browser's autofill hint, e.g. `new-password`.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
) -> impl IntoView {
    let refusal = move || {
        problem
            .get()
            .filter(|p| p.field.as_deref() == Some(parameter))
            .map(|p| p.message)
    };
    let id = format!("field-{parameter}");
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <label for=id.clone()>{label}</label>
        {if multiline {
            view! {
                <textarea id=id rows="4" aria-invalid=move || refusal().is_some().to_string()
                    aria-describedby=described.clone()
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            }.into_any()
        } else {
            view! {
                <input id=id type=kind.unwrap_or("text") autocomplete=autocomplete
                    aria-invalid=move || refusal().is_some().to_string()
                    aria-describedby=described.clone()
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
            }.into_any()
        }}
        <span id=error_id class="field-error">{refusal}</span>
    }
}
