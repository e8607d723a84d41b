//! Product types: named JSON Schemas of their products' attributes. Listed with the attributes
//! they describe and how many products use them; created and edited with the schema typed as
//! JSON (a syntax error shows beside it before anything is sent) and a live preview of the
//! form the product editor will show; deleted when no product uses them (else the API says
//! how many do).

use colmena_sdk::contract::{ProductType, ProductTypeInput, ProductTypePatch};
use leptos::prelude::*;
use serde_json::{Map, Value};

use super::attributes::{attribute_fields, described_keys, AttributesForm};
use super::ConfirmButton;
use crate::calls::call_api;
use crate::field::{Field, FormProblem};
use crate::{Problem, ProblemView, SharedSession};

/// What a new type's schema starts as: one text attribute, to be changed.
const STARTING_SCHEMA: &str = r#"{
  "type": "object",
  "properties": {
    "material": { "type": "string", "title": "Material" }
  },
  "required": []
}"#;

/// The type whose form is open.
#[derive(Debug, Clone, PartialEq)]
enum Editing {
    New,
    Existing(ProductType),
}

#[component]
pub fn ProductTypes(session: SharedSession) -> impl IntoView {
    let types = RwSignal::new(None::<Vec<ProductType>>);
    let form = RwSignal::new(None::<Editing>);
    let (problem, set_problem) = signal(None::<Problem>);
    let load = Callback::new(move |()| {
        call_api(
            session,
            set_problem,
            None,
            |session| async move { session.admin().product_types().await },
            move |found| types.set(Some(found)),
        );
    });
    load.run(());
    // Only a change closes the form: the first load may land after the owner opened it.
    let reload = Callback::new(move |()| {
        form.set(None);
        load.run(());
    });
    let close = Callback::new(move |()| form.set(None));
    let rows = move || {
        types.get().map(|types| {
            if types.is_empty() {
                return view! { <p>"No product types yet."</p> }.into_any();
            }
            let rows = types
                .into_iter()
                .map(|product_type| type_row(session, product_type, form, set_problem, reload))
                .collect_view();
            view! {
                <table class="types">
                    <thead><tr><th>"Name"</th><th>"Attributes"</th><th class="number">"Products"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        })
    };
    view! {
        <section aria-labelledby="types-title">
            <div class="row">
                <h1 id="types-title">"Product types"</h1>
                <button type="button" on:click=move |_| form.set(Some(Editing::New))
                    prop:disabled=move || form.get() == Some(Editing::New)>"New product type"</button>
            </div>
            <p class="hint">
                "A product type lists the attributes its products have (weight, material, origin…) as a JSON Schema. "
                "The product editor shows them as a form, and the API checks them against the schema."
            </p>
            {move || form.get().map(|editing| view! {
                <TypeForm session=session editing=editing on_saved=reload on_cancel=close />
            })}
            <ProblemView problem=problem />
            {rows}
        </section>
    }
}

fn type_row(
    session: SharedSession,
    product_type: ProductType,
    form: RwSignal<Option<Editing>>,
    problem: WriteSignal<Option<Problem>>,
    reload: Callback<()>,
) -> impl IntoView {
    let type_id = product_type.id;
    let name = product_type.name.clone();
    let attributes = described_keys(&product_type.schema).join(", ");
    let delete = Callback::new(move |()| {
        call_api(
            session,
            problem,
            None,
            move |session| async move { session.admin().delete_product_type(type_id).await },
            move |_| reload.run(()),
        );
    });
    let edited = product_type.clone();
    view! {
        <tr>
            <td>{name.clone()}<br /><span class="hint">{product_type.slug.clone()}</span></td>
            <td>{if attributes.is_empty() { "none".to_owned() } else { attributes }}</td>
            <td class="number">{product_type.product_count}</td>
            <td>
                <span class="node-actions">
                    <button type="button" aria-label=format!("Edit {name}")
                        on:click=move |_| form.set(Some(Editing::Existing(edited.clone())))>"Edit"</button>
                    <ConfirmButton label="Delete" name=format!("Delete {name}")
                        question=format!("Delete the product type {name}?") on_confirm=delete />
                </span>
            </td>
        </tr>
    }
}

/// A type's name and schema, with a preview of the form its products will have.
#[component]
fn TypeForm(
    session: SharedSession,
    editing: Editing,
    on_saved: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let existing = match &editing {
        Editing::New => None,
        Editing::Existing(product_type) => Some(product_type.clone()),
    };
    let name = RwSignal::new(
        existing
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_default(),
    );
    let schema_text = RwSignal::new(existing.as_ref().map_or_else(
        || STARTING_SCHEMA.to_owned(),
        |t| serde_json::to_string_pretty(&t.schema).unwrap_or_else(|_| t.schema.to_string()),
    ));
    let (problem, set_problem) = signal(None::<Problem>);
    let busy = RwSignal::new(false);
    let existing = StoredValue::new(existing);
    // The preview follows the schema as typed, while it parses.
    let schema = Memo::new(move |_| serde_json::from_str::<Value>(&schema_text.get()).ok());
    let preview = Memo::new(move |_| {
        schema.with(|schema| {
            schema
                .as_ref()
                .map(|schema| attribute_fields(schema, &Map::new()))
                .unwrap_or_default()
        })
    });
    let (preview_problem, _) = signal(None::<Problem>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed_schema = match serde_json::from_str::<Value>(&schema_text.get_untracked()) {
            Ok(schema) => schema,
            Err(error) => {
                return set_problem.set(Some(Problem::of_field(
                    "schema",
                    format!("is not valid JSON: {error}"),
                )))
            }
        };
        let typed_name = name.get_untracked();
        match existing.get_value() {
            None => {
                let input = ProductTypeInput {
                    name: typed_name,
                    slug: None,
                    schema: typed_schema,
                };
                call_api(
                    session,
                    set_problem,
                    Some(busy),
                    move |session| async move { session.admin().create_product_type(&input).await },
                    move |_| on_saved.run(()),
                );
            }
            Some(before) => {
                let patch = ProductTypePatch {
                    name: Some(typed_name).filter(|n| *n != before.name),
                    schema: Some(typed_schema).filter(|s| *s != before.schema),
                };
                call_api(
                    session,
                    set_problem,
                    Some(busy),
                    move |session| async move {
                        session.admin().update_product_type(before.id, &patch).await
                    },
                    move |_| on_saved.run(()),
                );
            }
        }
    };
    let (title, button) = match &editing {
        Editing::New => ("New product type".to_owned(), "Create product type"),
        Editing::Existing(t) => (format!("Edit {}", t.name), "Save product type"),
    };
    view! {
        <form class="card type-form" novalidate on:submit=submit aria-labelledby="type-form-title">
            <h2 id="type-form-title">{title}</h2>
            <div class="columns">
                <div class="form-column">
                    <Field label="Name" parameter="name" value=name problem=problem required=true />
                    <Field label="Schema (JSON Schema of an object)" parameter="schema" value=schema_text
                        problem=problem multiline=true rows=16
                        hint="Each property is a field: string (with enum: a choice), integer or number (minimum, maximum), boolean; title and description label it; required lists the fields that must be filled." />
                </div>
                <div class="form-column aside">
                    {move || if schema.with(Option::is_some) {
                        view! { <AttributesForm legend="Preview of the product form" fields=preview problem=preview_problem /> }.into_any()
                    } else {
                        view! { <p class="hint">"The preview of the product form shows once the schema is valid JSON."</p> }.into_any()
                    }}
                </div>
            </div>
            <FormProblem problem=problem placed=["name", "schema"] />
            <div class="row actions">
                <button type="submit" prop:disabled=move || busy.get()>{button}</button>
                <button type="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}
