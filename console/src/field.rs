//! A form field that shows the API's refusal beside it when the refusal names it
//! (`details.parameter`), and marks itself invalid for assistive technology.

use leptos::prelude::*;

use crate::Problem;

/// A text field that shows the API's refusal when it names this field.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    /// The field's name in the API (`details.parameter`), e.g. `banners[1].linkUrl`.
    #[prop(into)]
    parameter: String,
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
    let id = field_id(&parameter);
    // Kept in the arena, so that the closure below stays `Copy` for each of its uses.
    let parameter = StoredValue::new(parameter);
    let refusal = move || {
        problem
            .get()
            .filter(|p| parameter.with_value(|name| p.field.as_deref() == Some(name.as_str())))
            .map(|p| p.message)
    };
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

/// The element id of the field for the API's `parameter`, a valid CSS identifier: `[`, `.` and
/// other punctuation become `-` and `]` goes, so `banners[1].linkUrl` is
/// `field-banners-1-linkUrl` and a selector needs no escaping.
pub fn field_id(parameter: &str) -> String {
    let name = parameter.chars().filter(|c| *c != ']').map(|c| {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            c
        } else {
            '-'
        }
    });
    "field-".chars().chain(name).collect()
}

#[cfg(test)]
mod tests {
    use super::field_id;

    #[test]
    fn ids_need_no_escaping_in_selectors() {
        assert_eq!(field_id("banners[1].linkUrl"), "field-banners-1-linkUrl");
        assert_eq!(
            field_id("theme.colors.primary"),
            "field-theme-colors-primary"
        );
        assert_eq!(
            field_id("attributes/weightGrams"),
            "field-attributes-weightGrams"
        );
        assert_eq!(field_id("email"), "field-email");
    }
}
