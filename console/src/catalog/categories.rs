//! Categories as a tree: each category under its parent, created under a parent, renamed,
//! moved under another (the API refuses a move under the category's own subtree), deleted.
//! Deleting is not refused: the category's products lose it and its subcategories move to the
//! top level, so the console says so before it deletes.

use colmena_sdk::contract::{Category, CategoryInput, CategoryPatch};
use colmena_sdk::Uuid;
use leptos::prelude::*;

use super::{chosen_id, CategoryTree, ConfirmButton};
use crate::calls::call_api;
use crate::field::{Field, FormProblem, SelectField};
use crate::translations::CategoryTranslations;
use crate::{Problem, ProblemView, SharedSession};

/// What the tree's nodes act with.
#[derive(Clone, Copy)]
struct TreeActions {
    session: SharedSession,
    /// The category whose form is open.
    editing: RwSignal<Option<Uuid>>,
    problem: WriteSignal<Option<Problem>>,
    reload: Callback<()>,
}

#[component]
pub fn Categories(session: SharedSession) -> impl IntoView {
    let tree = RwSignal::new(None::<CategoryTree>);
    let editing = RwSignal::new(None::<Uuid>);
    let (problem, set_problem) = signal(None::<Problem>);
    let reload = Callback::new(move |()| {
        call_api(
            session,
            set_problem,
            None,
            |session| async move { session.admin().categories().await },
            move |found| {
                editing.set(None);
                tree.set(Some(CategoryTree::new(found)));
            },
        );
    });
    reload.run(());
    let actions = TreeActions {
        session,
        editing,
        problem: set_problem,
        reload,
    };
    let branches = move || {
        tree.with(|tree| {
            let tree = tree.as_ref()?;
            let roots = tree.children_of(None);
            Some(if roots.is_empty() {
                view! { <p>"No categories yet."</p> }.into_any()
            } else {
                view! { <ul class="tree" aria-label="Category tree">{branch(actions, tree, None, 0)}</ul> }
                    .into_any()
            })
        })
    };
    view! {
        <section aria-labelledby="categories-title">
            <h1 id="categories-title">"Categories"</h1>
            <p class="hint">"Shoppers browse products by category; a category can sit inside another."</p>
            <details class="new">
                <summary>"New category"</summary>
                {move || tree.get().map(|tree| view! {
                    <CategoryForm session=session tree=tree category=None on_saved=reload />
                })}
            </details>
            <ProblemView problem=problem />
            {branches}
        </section>
    }
}

/// Most levels the tree shows: deeper is a cycle in the data (the API refuses cycles).
const MAX_DEPTH: usize = 64;

/// The items of the categories under `parent`, each with its own subtree.
fn branch(
    actions: TreeActions,
    tree: &CategoryTree,
    parent: Option<Uuid>,
    depth: usize,
) -> AnyView {
    if depth > MAX_DEPTH {
        return ().into_any();
    }
    tree.children_of(parent)
        .iter()
        .map(|category| node(actions, tree, category, depth))
        .collect_view()
        .into_any()
}

fn node(actions: TreeActions, tree: &CategoryTree, category: &Category, depth: usize) -> AnyView {
    let id = category.id;
    let name = category.name.clone();
    let children = tree.children_of(Some(id)).len();
    let count = match category.product_count {
        1 => "1 product on sale".to_owned(),
        n => format!("{n} products on sale"),
    };
    let consequences = match (category.product_count, children) {
        (0, 0) => String::new(),
        (_, 0) => " Its products will have no category.".to_owned(),
        (0, _) => " Its subcategories will move to the top level.".to_owned(),
        _ => {
            " Its products will have no category, and its subcategories will move to the top level."
                .to_owned()
        }
    };
    let delete = Callback::new(move |()| {
        call_api(
            actions.session,
            actions.problem,
            None,
            move |session| async move { session.admin().delete_category(id).await },
            move |_| actions.reload.run(()),
        );
    });
    let editing = actions.editing.get() == Some(id);
    let form = editing.then(|| {
        view! {
            <CategoryForm session=actions.session tree=tree.clone() category=Some(category.clone())
                on_saved=actions.reload on_cancel=Callback::new(move |()| actions.editing.set(None)) />
            <CategoryTranslations session=actions.session category=category.clone() />
        }
    });
    let subtree =
        (children > 0).then(|| view! { <ul>{branch(actions, tree, Some(id), depth + 1)}</ul> });
    view! {
        <li>
            <div class="node">
                <span class="node-name">{name.clone()}</span>
                <span class="hint">{format!("/{} · {count}", category.slug)}</span>
                <span class="node-actions">
                    <button type="button" aria-label=format!("Edit {name}") aria-expanded=editing.to_string()
                        on:click=move |_| actions.editing.set(if editing { None } else { Some(id) })>"Edit"</button>
                    <ConfirmButton label="Delete" name=format!("Delete {name}")
                        question=format!("Delete {name}?{consequences}") on_confirm=delete />
                </span>
            </div>
            {form}
            {subtree}
        </li>
    }
    .into_any()
}

/// A category's name, slug and parent: a new one (`category` none) or changes to `category`
/// (only what changed is sent).
#[component]
fn CategoryForm(
    session: SharedSession,
    tree: CategoryTree,
    category: Option<Category>,
    on_saved: Callback<()>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    // The edit form's fields are named under `edit`, apart from the new category's fields.
    let scope = if category.is_some() { "edit." } else { "" };
    let name = RwSignal::new(
        category
            .as_ref()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
    );
    let slug = RwSignal::new(
        category
            .as_ref()
            .map(|c| c.slug.clone())
            .unwrap_or_default(),
    );
    let parent = RwSignal::new(
        category
            .as_ref()
            .and_then(|c| c.parent_id)
            .map(|id| id.to_string())
            .unwrap_or_default(),
    );
    let parents = tree.options("None (top level)", category.as_ref().map(|c| c.id));
    let (problem, set_problem) = signal(None::<Problem>);
    let busy = RwSignal::new(false);
    let category = StoredValue::new(category);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (typed_name, typed_slug) = (name.get_untracked(), slug.get_untracked());
        let typed_slug = Some(typed_slug.trim().to_owned()).filter(|s| !s.is_empty());
        let chosen_parent = chosen_id(&parent.get_untracked());
        let on_done = move |_: Category| {
            name.set(String::new());
            slug.set(String::new());
            on_saved.run(());
        };
        match category.get_value() {
            None => {
                let input = CategoryInput {
                    name: typed_name,
                    slug: typed_slug,
                    parent_id: chosen_parent,
                    position: 0,
                };
                call_api(
                    session,
                    set_problem,
                    Some(busy),
                    move |session| async move { session.admin().create_category(&input).await },
                    on_done,
                );
            }
            Some(before) => {
                let patch = CategoryPatch {
                    name: Some(typed_name).filter(|n| *n != before.name),
                    slug: typed_slug.filter(|s| *s != before.slug),
                    parent_id: Some(chosen_parent).filter(|p| *p != before.parent_id),
                    position: None,
                };
                if patch == CategoryPatch::default() {
                    return on_saved.run(());
                }
                call_api(
                    session,
                    set_problem,
                    Some(busy),
                    move |session| async move {
                        session
                            .admin()
                            .update_category(before.id, &patch)
                            .await
                            .map_err(|error| Problem::from(error).within("edit"))
                    },
                    on_done,
                );
            }
        }
    };
    let editing = category.with_value(Option::is_some);
    let (parent_label, submit_label) = if editing {
        ("Inside", "Save category")
    } else {
        ("Inside (parent category)", "Create category")
    };
    let names = |field: &str| format!("{scope}{field}");
    view! {
        <form class="form" novalidate on:submit=submit
            aria-label=if editing { "Edit the category" } else { "New category" }>
            <Field label="Name" parameter=names("name") value=name problem=problem required=true />
            <Field label="Slug" parameter=names("slug") value=slug problem=problem
                hint="In the category's web address. Empty: made from the name" />
            <SelectField label=parent_label parameter=names("parentId") value=parent options=parents problem=problem />
            <FormProblem problem=problem placed=vec![names("name"), names("slug"), names("parentId")] />
            <div class="row actions">
                <button type="submit" prop:disabled=move || busy.get()>{submit_label}</button>
                {on_cancel.map(|cancel| view! {
                    <button type="button" on:click=move |_| cancel.run(())>"Cancel"</button>
                })}
            </div>
        </form>
    }
}
