//! The storefront editor: the theme, logo, banners and announcement bar that shoppers'
//! storefronts show around the catalog. Every input edits a draft in memory, beside a sketch
//! that follows it; "Save draft" sends it (a refusal shows beside its field), "Preview" makes a
//! token that shows the saved draft on the merchant's own site, and owners and admins publish
//! it, now or at a set time, roll back and cancel (`versions`).

pub(crate) mod draft;
pub(crate) mod editor;
mod image_drop;
pub(crate) mod local_time;
mod preview;
mod sketch;
mod versions;

use colmena_sdk::contract::{Permission, PreviewToken, StorefrontDraft};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::field::{field_id, FormProblem, Placed};
use crate::session::Session;
use crate::{Problem, ProblemView, SharedSession};
use draft::{editor_has_field, DraftForm};
use editor::{AnnouncementSection, BannersSection, LogoSection, ThemeSection};
use local_time::local_display;

/// Gives the focus to the element `id` once the page has drawn: after a banner moved (the
/// keyboard user keeps their place) or a save was refused (the refused input).
fn focus_later(id: String) {
    request_animation_frame(move || {
        let element = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.get_element_by_id(&id))
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            // A focus the browser refuses leaves it where it was: nothing to report.
            let _ = element.focus();
        }
    });
}

/// What publishing shares with the editor: the draft in memory, the draft as last saved, and
/// the form's refusal.
#[derive(Debug, Clone, Copy)]
pub struct Editor {
    form: DraftForm,
    saved: RwSignal<Option<StorefrontDraft>>,
    set_problem: WriteSignal<Option<Problem>>,
    saving: RwSignal<bool>,
}

impl Editor {
    /// Saves the draft in memory if it differs from the saved one, checked first by the
    /// API's own rules. `false` when it cannot be: the refusal shows beside its input, which
    /// gets the focus.
    pub async fn save(self, session: &Session) -> bool {
        let document = match self.form.checked_document() {
            Ok(document) => document,
            Err(problem) => {
                self.refuse(problem);
                return false;
            }
        };
        let unchanged = self
            .saved
            .with_untracked(|saved| saved.as_ref().is_some_and(|s| s.document == document));
        if unchanged {
            self.set_problem.set(None);
            return true;
        }
        self.saving.set(true);
        let saved = session.admin().save_storefront_draft(&document).await;
        self.saving.set(false);
        match saved {
            Ok(draft) => {
                self.set_problem.set(None);
                self.saved.set(Some(draft));
                true
            }
            Err(error) => {
                self.refuse(error.into());
                false
            }
        }
    }

    fn refuse(self, problem: Problem) {
        if let Some(field) = problem.field.as_deref().filter(|f| editor_has_field(f)) {
            focus_later(field_id(field));
        }
        self.set_problem.set(Some(problem));
    }
}

#[component]
pub fn Storefront(session: SharedSession) -> impl IntoView {
    let can_publish = session.with_value(|s| s.can(Permission::StorefrontPublish));
    let store_slug = session.with_value(Session::store_slug);
    let form = DraftForm::new();
    let saved = RwSignal::new(None::<StorefrontDraft>);
    let (problem, set_problem) = signal(None::<Problem>);
    let (load_problem, set_load_problem) = signal(None::<Problem>);
    let saving = RwSignal::new(false);
    let editor = Editor {
        form,
        saved,
        set_problem,
        saving,
    };
    let preview = RwSignal::new(None::<PreviewToken>);
    let store_name = RwSignal::new(store_slug.clone());
    // Drawn once the draft is in: the inputs never show made-up values.
    let loaded = Memo::new(move |_| saved.with(Option::is_some));
    let dirty = Memo::new(move |_| {
        let current = form.document().ok();
        saved.with(|saved| saved.as_ref().map(|s| &s.document) != current.as_ref())
    });
    spawn_local({
        let session = session.get_value();
        async move {
            match session.admin().storefront_draft().await {
                Ok(draft) => {
                    form.fill(&draft.document);
                    saved.set(Some(draft));
                }
                Err(error) => set_load_problem.set(Some(error.into())),
            }
            // The sketch's header shows the store's name (its slug until then).
            if let Ok(store) = session.admin().public_client().store().await {
                store_name.set(store.name);
            }
            session.save().await;
        }
    });
    // Leaving the console (closing the tab, reloading) with unsaved edits asks first.
    let unsaved_guard = window_event_listener(leptos::ev::beforeunload, move |event| {
        if dirty.get_untracked() {
            event.prevent_default();
            event.set_return_value("");
        }
    });
    on_cleanup(move || unsaved_guard.remove());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let session = session.get_value();
        spawn_local(async move {
            editor.save(&session).await;
            session.save().await;
        });
    };
    let discard = move |_| {
        if let Some(draft) = saved.get_untracked() {
            form.fill(&draft.document);
            set_problem.set(None);
        }
    };
    let make_preview = move |_| {
        let session = session.get_value();
        spawn_local(async move {
            // A token shows the saved draft: unsaved edits are saved first.
            if editor.save(&session).await {
                match session.admin().create_storefront_preview_token().await {
                    Ok(token) => {
                        preview.set(Some(token));
                        focus_later("copy-snippet".to_owned());
                    }
                    Err(error) => set_problem.set(Some(error.into())),
                }
            }
            session.save().await;
        });
    };
    let status = move || {
        if saving.get() {
            return "Saving…".to_owned();
        }
        if dirty.get() {
            return "Unsaved changes".to_owned();
        }
        saved.with(|saved| match saved {
            Some(StorefrontDraft {
                updated_at: Some(at),
                updated_by,
                ..
            }) => {
                let by = updated_by
                    .as_ref()
                    .map(|actor| format!(" by {}", actor.label))
                    .unwrap_or_default();
                format!("Draft saved {}{by}", local_display(at))
            }
            Some(_) => "No edits yet: the draft is a copy of the live storefront.".to_owned(),
            None => String::new(),
        })
    };
    view! {
        <section aria-labelledby="storefront-title" class="storefront">
            <h1 id="storefront-title">"Storefront"</h1>
            <p class="hint">"The theme, logo, banners and announcement around your catalog. You edit a draft: shoppers see it once it is published."</p>
            <ProblemView problem=load_problem />
            {move || loaded.get().then(|| view! {
                <div class="storefront-layout">
                    <form class="storefront-editor" novalidate=true on:submit=submit>
                        // On top and sticky, as the page scrolls: what is unsaved, and saving it.
                        <div class="save-bar">
                            <FormProblem problem=problem placed=Placed::Rule(editor_has_field) />
                            <div class="row">
                                <span role="status">{status}</span>
                                <div class="actions">
                                    <button type="button" prop:disabled=move || !dirty.get() on:click=discard>"Discard"</button>
                                    <button type="button" prop:disabled=move || saving.get() on:click=make_preview>"Preview"</button>
                                    <button type="submit" prop:disabled=move || saving.get()>"Save draft"</button>
                                </div>
                            </div>
                        </div>
                        <ThemeSection form=form problem=problem />
                        <LogoSection session=session form=form problem=problem set_problem=set_problem />
                        <BannersSection session=session form=form problem=problem set_problem=set_problem />
                        <AnnouncementSection form=form problem=problem />
                    </form>
                    <sketch::Sketch form=form store_name=store_name />
                </div>
            })}
            {move || preview.get().map(|token| view! { <preview::PreviewShown token=token store=store_slug.clone() /> })}
            <versions::Versions session=session editor=editor can_publish=can_publish />
        </section>
    }
}
