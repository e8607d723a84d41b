//! Translations: a product's name, description and option names, and a category's name, in
//! other languages than the store's own. Shoppers asking for a language (the widget's `locale`,
//! an app's `withLocale`, a browser's `Accept-Language`) see them; without one, the store's own.

use colmena_sdk::contract::{
    AdminProduct, Category, CategoryTranslation, CategoryTranslationInput, ProductTranslation,
    ProductTranslationInput,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::field::{Field, FieldError, FormProblem};
use crate::{Problem, SharedSession};

/// A refusal as this form's fields name it: under `translation.`, apart from the fields of the
/// product's own form on the same page (which the API names alike: `name`, `description`).
fn scoped(error: colmena_sdk::Error) -> Problem {
    let mut problem = Problem::from(error);
    if let Some(field) = &mut problem.field {
        *field = format!("translation.{field}");
    }
    problem
}

/// The languages offered first: the widget's five (any other BCP 47 tag can be typed).
const SUGGESTED: [(&str, &str); 5] = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("pt", "Português"),
    ("sw", "Kiswahili"),
];

/// The language being edited: one of the suggested ones, or a tag the merchant types.
#[component]
fn LanguagePicker(locale: RwSignal<String>, #[prop(into)] id: String) -> impl IntoView {
    let choices = format!("{id}-choices");
    view! {
        <label for=id.clone()>"Language"</label>
        <input id=id list=choices.clone() prop:value=move || locale.get()
            on:input=move |ev| locale.set(event_target_value(&ev)) />
        <datalist id=choices>
            {SUGGESTED.iter().map(|(tag, name)| view! { <option value=*tag>{*name}</option> }).collect_view()}
        </datalist>
    }
}

/// The languages a record has, as buttons that open them for editing.
#[component]
fn Existing(locales: Signal<Vec<String>>, open: RwSignal<String>) -> impl IntoView {
    view! {
        <p class="chips" aria-label="Translated into">
            {move || {
                let locales = locales.get();
                if locales.is_empty() {
                    view! { <span class="hint">"No translations yet."</span> }.into_any()
                } else {
                    locales.into_iter().map(|tag| {
                        let chosen = tag.clone();
                        view! { <button type="button" class="chip" on:click=move |_| open.set(chosen.clone())>{tag}</button> }
                    }).collect_view().into_any()
                }
            }}
        </p>
    }
}

/// A product's translations: pick a language, edit its name, description and option names.
#[component]
pub fn ProductTranslations(session: SharedSession, product: AdminProduct) -> impl IntoView {
    let product_id = product.product.id;
    let options = product.product.options.clone();
    let saved = RwSignal::new(Vec::<ProductTranslation>::new());
    let locale = RwSignal::new(String::from("fr"));
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let option_names: Vec<RwSignal<String>> = options
        .iter()
        .map(|_| RwSignal::new(String::new()))
        .collect();
    let (problem, set_problem) = signal(None::<Problem>);
    let status = RwSignal::new(None::<String>);
    let load = move || {
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().product_translations(product_id).await {
                Ok(found) => saved.set(found),
                Err(error) => set_problem.set(Some(scoped(error))),
            }
        });
    };
    load();
    // Opening a language fills the form with its translation, or empties it for a new one.
    let fields = option_names.clone();
    Effect::new(move |_| {
        let tag = locale.get();
        let existing = saved.with(|all| all.iter().find(|t| t.locale == tag).cloned());
        name.set(
            existing
                .as_ref()
                .map(|t| t.name.clone())
                .unwrap_or_default(),
        );
        description.set(
            existing
                .as_ref()
                .and_then(|t| t.description.clone())
                .unwrap_or_default(),
        );
        let names = existing.and_then(|t| t.option_names).unwrap_or_default();
        for (index, field) in fields.iter().enumerate() {
            field.set(names.get(index).cloned().unwrap_or_default());
        }
    });
    let fields = option_names.clone();
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let given: Vec<String> = fields.iter().map(|f| f.get().trim().to_owned()).collect();
        let input = ProductTranslationInput {
            name: name.get(),
            description: Some(description.get()).filter(|d| !d.trim().is_empty()),
            // All of them or none: the API refuses a partial set.
            option_names: given
                .iter()
                .all(|n| !n.is_empty())
                .then_some(given)
                .filter(|n| !n.is_empty()),
        };
        let tag = locale.get().trim().to_owned();
        let session = session.get_value();
        spawn_local(async move {
            match session
                .admin()
                .set_product_translation(product_id, &tag, &input)
                .await
            {
                Ok(_) => {
                    set_problem.set(None);
                    status.set(Some(format!("Saved the {tag} translation.")));
                    load();
                }
                Err(error) => set_problem.set(Some(scoped(error))),
            }
        });
    };
    let remove = move |_| {
        let tag = locale.get().trim().to_owned();
        let session = session.get_value();
        spawn_local(async move {
            match session
                .admin()
                .delete_product_translation(product_id, &tag)
                .await
            {
                Ok(_) => {
                    set_problem.set(None);
                    status.set(Some(format!("Removed the {tag} translation.")));
                    load();
                }
                Err(error) => set_problem.set(Some(scoped(error))),
            }
        });
    };
    let locales =
        Signal::derive(move || saved.with(|all| all.iter().map(|t| t.locale.clone()).collect()));
    view! {
        <section class="card translations" aria-labelledby="translations-title">
            <h2 id="translations-title">"Translations"</h2>
            <Existing locales=locales open=locale />
            <form on:submit=save>
                <LanguagePicker locale=locale id="translation-locale" />
                <FieldError parameter="translation.locale" problem=problem />
                <Field label="Name in that language" parameter="translation.name" value=name problem=problem />
                <Field label="Description in that language" parameter="translation.description" value=description problem=problem multiline=true />
                {options.into_iter().zip(option_names).map(|(option, value)| view! {
                    <label>{format!("Option \u{201c}{option}\u{201d} in that language")}
                        <input prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
                    </label>
                }).collect_view()}
                <FieldError parameter="translation.optionNames" problem=problem />
                <FormProblem problem=problem placed=["translation.locale", "translation.name", "translation.description", "translation.optionNames"] />
                <div class="row">
                    <button type="submit">"Save translation"</button>
                    <button type="button" class="danger" on:click=remove>"Remove translation"</button>
                </div>
                {move || status.get().map(|s| view! { <p role="status">{s}</p> })}
            </form>
        </section>
    }
}

/// A category's names in other languages, edited in place.
#[component]
pub fn CategoryTranslations(session: SharedSession, category: Category) -> impl IntoView {
    let category_id = category.id;
    let saved = RwSignal::new(Vec::<CategoryTranslation>::new());
    let locale = RwSignal::new(String::from("fr"));
    let name = RwSignal::new(String::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let load = move || {
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().category_translations(category_id).await {
                Ok(found) => saved.set(found),
                Err(error) => set_problem.set(Some(scoped(error))),
            }
        });
    };
    load();
    Effect::new(move |_| {
        let tag = locale.get();
        name.set(saved.with(|all| {
            all.iter()
                .find(|t| t.locale == tag)
                .map(|t| t.name.clone())
                .unwrap_or_default()
        }));
    });
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let input = CategoryTranslationInput { name: name.get() };
        let tag = locale.get().trim().to_owned();
        let session = session.get_value();
        spawn_local(async move {
            match session
                .admin()
                .set_category_translation(category_id, &tag, &input)
                .await
            {
                Ok(_) => {
                    set_problem.set(None);
                    load();
                }
                Err(error) => set_problem.set(Some(scoped(error))),
            }
        });
    };
    let locales =
        Signal::derive(move || saved.with(|all| all.iter().map(|t| t.locale.clone()).collect()));
    let picker_id = format!("category-{category_id}-locale");
    view! {
        <form class="translations inline" on:submit=save aria-label=format!("Translations of {}", category.name)>
            <Existing locales=locales open=locale />
            <LanguagePicker locale=locale id=picker_id />
            <label>"Name in that language"
                <input prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            </label>
            <FormProblem problem=problem />
            <button type="submit">"Save translation"</button>
        </form>
    }
}
