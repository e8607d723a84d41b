//! Publishing (owners and admins): the saved draft becomes the next version, now or at a set
//! time; and the version history, paged, with rollback to a version that was live and
//! cancellation of a scheduled one. Everyone who edits sees the history.

use colmena_sdk::contract::{
    PageQuery, PublishRequest, StorefrontVersion, StorefrontVersionStatus, Timestamp,
};
use colmena_sdk::Page;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::draft::refused;
use super::editor::RadioGroup;
use super::local_time::{local_display, now, time_zone_name, utc_from_local_input};
use super::Editor;
use crate::field::{Field, FormProblem};
use crate::paging::{load_page, Pager, PAGE_SIZE};
use crate::{Problem, ProblemView, SharedSession};

/// When a publication goes live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Now,
    Later,
}

const WHEN: [(When, &str); 2] = [(When::Now, "Now"), (When::Later, "At a set time")];

/// What a button in the history does.
#[derive(Debug, Clone, Copy)]
enum Change {
    RollBack(u32),
    Cancel(u32),
}

/// What happened to `version`, for the status line.
fn outcome(version: &StorefrontVersion) -> String {
    match version.status {
        StorefrontVersionStatus::Scheduled => format!(
            "Version {} is scheduled for {} ({}).",
            version.number,
            local_display(&version.publish_at),
            time_zone_name()
        ),
        StorefrontVersionStatus::Cancelled => format!("Version {} is cancelled.", version.number),
        _ => format!("Version {} is live.", version.number),
    }
}

/// A time of the API in the merchant's time zone; its date and its time of day each stay on one
/// line, so a narrow table breaks between them.
#[component]
fn LocalTime(at: Timestamp) -> impl IntoView {
    let shown = local_display(&at);
    let (day, time) = shown.split_once(' ').unwrap_or((shown.as_str(), ""));
    view! {
        <time datetime=at.as_str().to_owned()><span>{day.to_owned()}</span>" "<span>{time.to_owned()}</span></time>
    }
}

#[component]
pub fn Versions(session: SharedSession, editor: Editor, can_publish: bool) -> impl IntoView {
    let offset = RwSignal::new(0u64);
    let page = RwSignal::new(None::<Page<StorefrontVersion>>);
    // Loading the history and changing it fail apart: a reload after a refused change must
    // not clear the refusal.
    let (list_problem, set_list_problem) = signal(None::<Problem>);
    let (problem, set_problem) = signal(None::<Problem>);
    let (change_problem, set_change_problem) = signal(None::<Problem>);
    let published = RwSignal::new(None::<String>);
    let changed = RwSignal::new(None::<String>);
    let when = RwSignal::new(When::Now);
    let publish_at = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let load = move || {
        let query = PageQuery {
            limit: Some(PAGE_SIZE),
            offset: Some(offset.get_untracked()),
        };
        load_page(session, page, set_list_problem, move |session| async move {
            session.admin().storefront_versions(&query).await
        });
    };
    load();
    let first_page = move || {
        offset.set(0);
        load();
    };
    let publish = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        published.set(None);
        let at = match when.get() {
            When::Now => None,
            When::Later => match utc_from_local_input(&publish_at.get()) {
                Some(at) if at.unix_millis() > now().unix_millis() => Some(at),
                // The API would publish a past time at once: not what "at a set time" means.
                Some(_) => {
                    set_problem.set(Some(refused("publishAt", "choose a time in the future")));
                    return;
                }
                None => {
                    set_problem.set(Some(refused(
                        "publishAt",
                        "choose the date and time it goes live",
                    )));
                    return;
                }
            },
        };
        busy.set(true);
        let session = session.get_value();
        spawn_local(async move {
            // What is published is the saved draft: unsaved edits are saved first.
            if editor.save(&session).await {
                let request = PublishRequest { publish_at: at };
                match session.admin().publish_storefront(&request).await {
                    Ok(version) => {
                        set_problem.set(None);
                        publish_at.set(String::new());
                        published.set(Some(outcome(&version)));
                        first_page();
                    }
                    Err(error) => set_problem.set(Some(error.into())),
                }
            } else {
                set_problem.set(Some(Problem::new(
                    "The draft could not be saved: see the problem above, then publish again.",
                )));
            }
            busy.set(false);
            session.save().await;
        });
    };
    let change = move |change: Change| {
        // The publication's message would now be out of date.
        published.set(None);
        changed.set(None);
        let session = session.get_value();
        spawn_local(async move {
            let admin = session.admin();
            let (result, attempt) = match change {
                Change::RollBack(number) => (
                    admin.rollback_storefront(number).await,
                    format!("Could not roll back to version {number}"),
                ),
                Change::Cancel(number) => (
                    admin.cancel_storefront_version(number).await,
                    format!("Could not cancel version {number}"),
                ),
            };
            match result {
                Ok(version) => {
                    set_change_problem.set(None);
                    changed.set(Some(outcome(&version)));
                }
                // The version moved on since the list was read (it went live, someone else
                // cancelled it): say so plainly; the reloaded list shows where it stands.
                Err(colmena_sdk::Error::Conflict(failure)) => {
                    set_change_problem.set(Some(Problem::new(format!(
                        "{attempt}: {}. The history below is up to date.",
                        failure.message
                    ))))
                }
                Err(error) => set_change_problem.set(Some(error.into())),
            }
            first_page();
            session.save().await;
        });
    };
    let zone = time_zone_name();
    view! {
        {if can_publish {
            view! {
                <section aria-labelledby="publish-title">
                    <h2 id="publish-title">"Publish"</h2>
                    <form class="form" on:submit=publish novalidate=true>
                        <p class="hint">"Publishing saves the draft and makes it the next version. Shoppers see it from then on."</p>
                        <RadioGroup legend="Goes live" name="publish-when" options=&WHEN value=when />
                        {move || (when.get() == When::Later).then(|| view! {
                            <Field label=format!("Date and time ({zone})") parameter="publishAt"
                                value=publish_at problem=problem kind="datetime-local" />
                        })}
                        <FormProblem problem=problem />
                        <div class="row">
                            <button type="submit" prop:disabled=move || busy.get()>
                                {move || match when.get() { When::Now => "Publish now", When::Later => "Schedule" }}
                            </button>
                            <span role="status">{move || published.get()}</span>
                        </div>
                    </form>
                </section>
            }.into_any()
        } else {
            view! {
                <p class="hint">"Owners and admins publish the draft: tell one of them when it is ready."</p>
            }.into_any()
        }}
        <section aria-labelledby="versions-title">
            <h2 id="versions-title">"Version history"</h2>
            <ProblemView problem=list_problem />
            <ProblemView problem=change_problem />
            <p role="status">{move || changed.get()}</p>
            <table class="versions">
                <thead><tr>
                    <th>"Version"</th><th>"Status"</th><th>"Live from"</th><th>"Published by"</th>
                    {can_publish.then(|| view! { <th><span class="visually-hidden">"Actions"</span></th> })}
                </tr></thead>
                <tbody>
                    {move || page.get().map(|page| page.items.into_iter().map(|version| {
                        let number = version.number;
                        let status = version.status;
                        let action = can_publish.then(|| match status {
                            StorefrontVersionStatus::Superseded => view! {
                                <button on:click=move |_| change(Change::RollBack(number))
                                    aria-label=format!("Roll back to version {number}")>"Roll back"</button>
                            }.into_any(),
                            StorefrontVersionStatus::Scheduled => view! {
                                <button class="danger" on:click=move |_| change(Change::Cancel(number))
                                    aria-label=format!("Cancel version {number}")>"Cancel"</button>
                            }.into_any(),
                            StorefrontVersionStatus::Live | StorefrontVersionStatus::Cancelled => ().into_any(),
                        });
                        view! {
                            <tr>
                                <td>{number}{version.rollback_of.map(|of| format!(" (copy of {of})"))}</td>
                                <td><span class=format!("status {}", status.as_str())>{status.as_str()}</span></td>
                                <td><LocalTime at=version.publish_at.clone() /></td>
                                <td class="wrap">{version.published_by.label.clone()}</td>
                                {action.map(|action| view! { <td>{action}</td> })}
                            </tr>
                        }
                    }).collect_view())}
                </tbody>
            </table>
            {move || page.with(|p| p.as_ref().is_some_and(|p| p.items.is_empty())).then(|| view! {
                <p class="hint">"Nothing published yet: shoppers see a theme made from your store's branding."</p>
            })}
            <Pager offset=offset page=page reload=load />
        </section>
    }
}
