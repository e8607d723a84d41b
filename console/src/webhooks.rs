//! Webhook endpoints (owners and admins): a partner URL and the events it wants; paused or
//! resumed, its signing secret rotated (shown once), deleted; and its delivery log, every
//! attempt with its status code, from which a delivery is sent again.

use colmena_sdk::contract::{
    PageQuery, WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookEndpointInput,
    WebhookEndpointPatch, WebhookEventType,
};
use colmena_sdk::{Page, Uuid};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::field::{Field, FormProblem};
use crate::paging::{load_page, Pager, PAGE_SIZE};
use crate::{short_time, Problem, ProblemView, SharedSession, ShownOnce};

#[component]
pub fn Webhooks(session: SharedSession) -> impl IntoView {
    let endpoints = RwSignal::new(Vec::<WebhookEndpoint>::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let url = RwSignal::new(String::new());
    let events = RwSignal::new(vec![WebhookEventType::OrderPaid]);
    let secret = RwSignal::new(None::<(String, String)>);
    let opened = RwSignal::new(None::<WebhookEndpoint>);
    let load = move || {
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().webhook_endpoints().await {
                Ok(found) => endpoints.set(found),
                Err(error) => set_problem.set(Some(error.into())),
            }
            session.save().await;
        });
    };
    load();
    let create = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let input = WebhookEndpointInput {
            url: url.get().trim().to_owned(),
            events: events.get(),
        };
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().create_webhook_endpoint(&input).await {
                Ok(created) => {
                    set_problem.set(None);
                    url.set(String::new());
                    secret.set(Some((created.endpoint.url, created.secret)));
                    load();
                }
                Err(error) => set_problem.set(Some(error.into())),
            }
        });
    };
    // Pause or resume, rotate the secret, or delete an endpoint.
    let act = move |endpoint: WebhookEndpoint, action: Action| {
        let session = session.get_value();
        spawn_local(async move {
            let admin = session.admin();
            let done = match action {
                Action::SetActive(active) => {
                    let patch = WebhookEndpointPatch {
                        active: Some(active),
                        ..WebhookEndpointPatch::default()
                    };
                    admin
                        .update_webhook_endpoint(endpoint.id, &patch)
                        .await
                        .map(|_| ())
                }
                Action::Rotate => admin
                    .rotate_webhook_secret(endpoint.id)
                    .await
                    .map(|rotated| {
                        secret.set(Some((rotated.endpoint.url, rotated.secret)));
                    }),
                Action::Delete => admin.delete_webhook_endpoint(endpoint.id).await.map(|_| {
                    // Its delivery log goes with it.
                    if opened.with_untracked(|o| o.as_ref().is_some_and(|o| o.id == endpoint.id)) {
                        opened.set(None);
                    }
                }),
            };
            match done {
                Ok(()) => {
                    set_problem.set(None);
                    load();
                }
                Err(error) => set_problem.set(Some(error.into())),
            }
        });
    };
    view! {
        <section aria-labelledby="webhooks-title">
            <h1 id="webhooks-title">"Webhooks"</h1>
            <form class="form" on:submit=create>
                <Field label="Endpoint URL (https://…)" parameter="url" value=url problem=problem kind="url" />
                <fieldset class="choices">
                    <legend>"Events"</legend>
                    {WebhookEventType::ALL.into_iter().map(|event_type| view! {
                        <label class="choice">
                            <input type="checkbox" prop:checked=move || events.with(|e| e.contains(&event_type))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    events.update(|e| {
                                        e.retain(|t| *t != event_type);
                                        if on { e.push(event_type); }
                                    });
                                } />
                            {event_type.as_str()}
                        </label>
                    }).collect_view()}
                </fieldset>
                <span id="field-events-error" class="field-error">
                    {move || problem.get().filter(|p| p.field.as_deref() == Some("events")).map(|p| p.message)}
                </span>
                <FormProblem problem=problem placed=["url", "events"] />
                <button type="submit">"Add endpoint"</button>
            </form>
            {move || secret.get().map(|(url, secret)| view! {
                <ShownOnce what=format!("Signing secret of {url}: store it with your receiver now, it is shown only once:") secret=secret />
            })}
            <table>
                <thead><tr><th>"URL"</th><th>"Events"</th><th>"Status"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                <tbody>
                    {move || endpoints.get().into_iter().map(|endpoint| {
                        let (e1, e2, e3, e4) = (endpoint.clone(), endpoint.clone(), endpoint.clone(), endpoint.clone());
                        let active = endpoint.active;
                        view! {
                            <tr>
                                <td class="wrap">{endpoint.url.clone()}</td>
                                <td>{endpoint.events.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", ")}</td>
                                <td>{if active { "active" } else { "paused" }}</td>
                                <td><div class="actions">
                                    <button on:click=move |_| opened.set(Some(e1.clone()))>"Deliveries"</button>
                                    <button on:click=move |_| act(e2.clone(), Action::SetActive(!active))>{if active { "Pause" } else { "Resume" }}</button>
                                    <button on:click=move |_| act(e3.clone(), Action::Rotate)>"Rotate secret"</button>
                                    <button class="danger" on:click=move |_| act(e4.clone(), Action::Delete)>"Delete"</button>
                                </div></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {move || opened.get().map(|endpoint| view! { <Deliveries session=session endpoint=endpoint /> })}
        </section>
    }
}

/// What an endpoint's row buttons do.
#[derive(Debug, Clone, Copy)]
enum Action {
    SetActive(bool),
    Rotate,
    Delete,
}

/// An endpoint's delivery log, newest first, with every attempt; delivered and failed ones can
/// be sent again.
#[component]
fn Deliveries(session: SharedSession, endpoint: WebhookEndpoint) -> impl IntoView {
    let offset = RwSignal::new(0u64);
    let page = RwSignal::new(None::<Page<WebhookDelivery>>);
    let (problem, set_problem) = signal(None::<Problem>);
    let endpoint_id = endpoint.id;
    let load = move || {
        let query = PageQuery {
            limit: Some(PAGE_SIZE),
            offset: Some(offset.get_untracked()),
        };
        load_page(session, page, set_problem, move |session| async move {
            session
                .admin()
                .webhook_deliveries(endpoint_id, &query)
                .await
        });
    };
    load();
    let redeliver = move |delivery_id: Uuid| {
        let session = session.get_value();
        spawn_local(async move {
            match session
                .admin()
                .redeliver_webhook(endpoint_id, delivery_id)
                .await
            {
                Ok(_) => {
                    offset.set(0);
                    load();
                }
                Err(error) => set_problem.set(Some(error.into())),
            }
        });
    };
    view! {
        <section aria-labelledby="deliveries-title">
            <h2 id="deliveries-title">{format!("Deliveries to {}", endpoint.url)}</h2>
            <div class="row"><button on:click=move |_| load()>"Refresh"</button></div>
            <ProblemView problem=problem />
            <table>
                <thead><tr><th>"Event"</th><th>"Created"</th><th>"Status"</th><th>"Attempts"</th><th><span class="visually-hidden">"Action"</span></th></tr></thead>
                <tbody>
                    {move || page.get().map(|page| page.items.into_iter().map(|delivery| {
                        let id = delivery.id;
                        let status = delivery.status;
                        let attempts = delivery.log.iter().map(|attempt| {
                            let outcome = match (&attempt.status_code, &attempt.error) {
                                (Some(code), _) => format!("HTTP {code}"),
                                (None, Some(error)) => error.clone(),
                                (None, None) => "no answer".to_owned(),
                            };
                            view! { <li>{format!("{} · {} · {} ms", short_time(attempt.attempted_at.as_str()), outcome, attempt.duration_ms)}</li> }
                        }).collect_view();
                        view! {
                            <tr>
                                <td><code>{delivery.event_type.as_str()}</code></td>
                                <td>{short_time(delivery.created_at.as_str())}</td>
                                <td><span class=format!("status {}", status.as_str())>{status.as_str()}</span>
                                    {delivery.next_attempt_at.filter(|_| status == WebhookDeliveryStatus::Pending)
                                        .map(|next| format!(" · next {}", short_time(&next)))}
                                </td>
                                <td><ul class="attempts">{attempts}</ul></td>
                                <td>{(status != WebhookDeliveryStatus::Pending).then(|| view! {
                                    <button on:click=move |_| redeliver(id)>"Redeliver"</button>
                                })}</td>
                            </tr>
                        }
                    }).collect_view())}
                </tbody>
            </table>
            {move || page.with(|p| p.as_ref().is_some_and(|p| p.items.is_empty())).then(|| view! {
                <p class="hint">"No deliveries yet: events are sent as they happen."</p>
            })}
            <Pager offset=offset page=page reload=load />
        </section>
    }
}
