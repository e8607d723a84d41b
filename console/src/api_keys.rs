//! API keys (owners): publishable keys for web pages and apps, secret keys for servers. A new
//! key's secret is shown once; revoking a key stops it at once.

use colmena_sdk::contract::{ApiKey, ApiKeyKind, ApiKeyRequest, Role};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::field::{Field, FormProblem};
use crate::{short_time, Problem, SharedSession, ShownOnce};

/// The roles a secret key can act with (a key is never an owner).
const KEY_ROLES: [Role; 2] = [Role::Admin, Role::Editor];

#[component]
pub fn ApiKeys(session: SharedSession) -> impl IntoView {
    let keys = RwSignal::new(Vec::<ApiKey>::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(ApiKeyKind::Publishable);
    let role = RwSignal::new(Role::Admin);
    let created = RwSignal::new(None::<(String, String)>);
    let load = move || {
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().api_keys().await {
                Ok(found) => keys.set(found),
                Err(error) => set_problem.set(Some(error.into())),
            }
            session.save().await;
        });
    };
    load();
    let create = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let request = ApiKeyRequest {
            kind: kind.get(),
            name: name.get().trim().to_owned(),
            role: (kind.get() == ApiKeyKind::Secret).then(|| role.get()),
        };
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().create_api_key(&request).await {
                Ok(new) => {
                    set_problem.set(None);
                    name.set(String::new());
                    created.set(Some((new.key.name, new.secret)));
                    load();
                }
                Err(error) => set_problem.set(Some(error.into())),
            }
        });
    };
    let revoke = move |key_id| {
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().revoke_api_key(key_id).await {
                Ok(_) => load(),
                Err(error) => set_problem.set(Some(error.into())),
            }
        });
    };
    view! {
        <section aria-labelledby="keys-title">
            <h1 id="keys-title">"API keys"</h1>
            <form class="form" on:submit=create>
                <Field label="Name" parameter="name" value=name problem=problem />
                <label for="key-kind">"Kind"</label>
                <select id="key-kind" on:change=move |ev| {
                    kind.set(if event_target_value(&ev) == "secret" { ApiKeyKind::Secret } else { ApiKeyKind::Publishable });
                }>
                    <option value="publishable" selected=true>"Publishable (pk_): web pages and apps"</option>
                    <option value="secret">"Secret (sk_): your servers only"</option>
                </select>
                {move || (kind.get() == ApiKeyKind::Secret).then(|| view! {
                    <label for="key-role">"Acts as"</label>
                    <select id="key-role" on:change=move |ev| {
                        if let Some(chosen) = Role::parse(&event_target_value(&ev)) {
                            role.set(chosen);
                        }
                    }>
                        {KEY_ROLES.iter().map(|r| view! {
                            <option value=r.as_str() selected=*r == role.get_untracked()>{r.as_str()}</option>
                        }).collect_view()}
                    </select>
                })}
                <FormProblem problem=problem placed=["name"] />
                <button type="submit">"Create key"</button>
            </form>
            {move || created.get().map(|(name, secret)| view! {
                <ShownOnce what=format!("Key \u{201c}{name}\u{201d}: copy it now, it is shown only once:") secret=secret />
            })}
            <table>
                <thead><tr><th>"Name"</th><th>"Key"</th><th>"Kind"</th><th>"Created"</th><th>"Last used"</th><th><span class="visually-hidden">"Action"</span></th></tr></thead>
                <tbody>
                    {move || keys.get().into_iter().map(|key| {
                        let id = key.id;
                        let kind = match key.kind {
                            ApiKeyKind::Publishable => "publishable".to_owned(),
                            ApiKeyKind::Secret => format!("secret · {}", key.role.map_or("admin", Role::as_str)),
                        };
                        let label = format!("Revoke {}", key.name);
                        view! {
                            <tr>
                                <td>{key.name.clone()}</td>
                                <td><code>{format!("{}…", key.prefix)}</code></td>
                                <td>{kind}</td>
                                <td>{short_time(key.created_at.as_str())}</td>
                                <td>{key.last_used_at.as_deref().map_or_else(|| "never".to_owned(), short_time)}</td>
                                <td><button class="danger" aria-label=label on:click=move |_| revoke(id)>"Revoke"</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
