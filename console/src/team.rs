//! The team (owners): the store's users and their roles; inviting someone (the invitation token
//! is shown once, to pass on), changing a role, removing a user. The API keeps the last owner.

use colmena_sdk::contract::{InviteRequest, Role, StoreUser};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::field::{Field, FormProblem};
use crate::{Problem, SharedSession, ShownOnce};

const ROLES: [Role; 3] = [Role::Owner, Role::Admin, Role::Editor];

#[component]
pub fn Team(session: SharedSession) -> impl IntoView {
    let users = RwSignal::new(Vec::<StoreUser>::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Editor);
    let invited = RwSignal::new(None::<(String, String)>);
    let load = move || {
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().users().await {
                Ok(found) => users.set(found),
                Err(error) => set_problem.set(Some(error.into())),
            }
            session.save().await;
        });
    };
    load();
    let invite = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let request = InviteRequest {
            email: email.get().trim().to_owned(),
            role: role.get(),
        };
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().invite_user(&request).await {
                Ok(invitation) => {
                    set_problem.set(None);
                    email.set(String::new());
                    let link = invitation_link(&session.store_slug(), &invitation.invitation_token);
                    invited.set(Some((invitation.user.email, link)));
                    load();
                }
                Err(error) => set_problem.set(Some(error.into())),
            }
        });
    };
    let change = move |user_id, next: Option<Role>| {
        let session = session.get_value();
        spawn_local(async move {
            let admin = session.admin();
            let done = match next {
                Some(role) => admin.set_user_role(user_id, role).await,
                None => admin.remove_user(user_id).await,
            };
            match done {
                Ok(_) => {
                    set_problem.set(None);
                    load();
                }
                Err(error) => set_problem.set(Some(error.into())),
            }
        });
    };
    view! {
        <section aria-labelledby="team-title">
            <h1 id="team-title">"Team"</h1>
            <form class="form" on:submit=invite>
                <Field label="Invite by email" parameter="email" value=email problem=problem />
                <label for="invite-role">"Role"</label>
                <select id="invite-role" on:change=move |ev| {
                    if let Some(chosen) = Role::parse(&event_target_value(&ev)) {
                        role.set(chosen);
                    }
                }>
                    {ROLES.iter().map(|r| view! {
                        <option value=r.as_str() selected=*r == Role::Editor>{r.as_str()}</option>
                    }).collect_view()}
                </select>
                <button type="submit">"Send invitation"</button>
            </form>
            {move || invited.get().map(|(who, link)| view! {
                <ShownOnce what=format!("Invitation for {who}: pass on this link, shown once; it works for 7 days:") secret=link />
            })}
            <FormProblem problem=problem placed=["email"] />
            <table>
                <thead><tr><th>"Email"</th><th>"Role"</th><th>"Status"</th><th><span class="visually-hidden">"Action"</span></th></tr></thead>
                <tbody>
                    {move || users.get().into_iter().map(|user| {
                        let (id, current) = (user.id, user.role);
                        let label = format!("Role of {}", user.email);
                        view! {
                            <tr>
                                <td>{user.email.clone()}</td>
                                <td>
                                    <select aria-label=label on:change=move |ev| {
                                        if let Some(next) = Role::parse(&event_target_value(&ev)) {
                                            if next != current {
                                                change(id, Some(next));
                                            }
                                        }
                                    }>
                                        {ROLES.iter().map(|r| view! {
                                            <option value=r.as_str() selected=*r == current>{r.as_str()}</option>
                                        }).collect_view()}
                                    </select>
                                </td>
                                <td>{if user.active { "active" } else { "invited" }}</td>
                                <td><button class="danger" on:click=move |_| change(id, None)>"Remove"</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// The console link where an invitee chooses their password (the token rides in the fragment,
/// which browsers never send to a server).
fn invitation_link(store: &str, token: &str) -> String {
    let origin = web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default();
    let store = js_sys::encode_uri_component(store);
    format!("{origin}/admin/#accept-invite?store={store}&token={token}")
}
