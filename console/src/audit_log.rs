//! The audit log (owners): every change to the store's data, newest first, who made it (a user,
//! a secret key, or the server itself) and what it changed, filtered by kind of record or by
//! one record, paged by the server.

use colmena_sdk::contract::{AuditEntry, AuditQuery, AUDIT_ENTITY_TYPES};
use colmena_sdk::Page;
use leptos::prelude::*;
use serde_json::Value;

use crate::paging::{load_page, Pager, PAGE_SIZE};
use crate::{short_time, Problem, ProblemView, SharedSession};

/// What an entry changed, one `field: before → after` per changed member (a creation or
/// deletion lists the values it had).
fn changes(entry: &AuditEntry) -> Vec<String> {
    // Long values (a product's variants, a description) are cut: the log is for finding what
    // changed, the record itself holds the whole value.
    let text = |value: Option<&Value>| {
        let whole = match value {
            None | Some(Value::Null) => "—".to_owned(),
            Some(Value::String(text)) => text.clone(),
            Some(other) => other.to_string(),
        };
        match whole.char_indices().nth(80) {
            Some((cut, _)) => format!("{}…", &whole[..cut]),
            None => whole,
        }
    };
    let (old, new) = (entry.old_values.as_ref(), entry.new_values.as_ref());
    let mut fields: Vec<&String> = [old, new]
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|object| object.keys())
        .collect();
    fields.sort();
    fields.dedup();
    fields
        .into_iter()
        .filter_map(|field| {
            let before = old.and_then(|v| v.get(field));
            let after = new.and_then(|v| v.get(field));
            (before != after).then(|| match (old, new) {
                (Some(_), Some(_)) => format!("{field}: {} → {}", text(before), text(after)),
                (None, _) => format!("{field}: {}", text(after)),
                (_, None) => format!("{field} was {}", text(before)),
            })
        })
        .collect()
}

#[component]
pub fn AuditLog(session: SharedSession) -> impl IntoView {
    let entity_type = RwSignal::new(String::new());
    let entity_id = RwSignal::new(String::new());
    let offset = RwSignal::new(0u64);
    let page = RwSignal::new(None::<Page<AuditEntry>>);
    let (problem, set_problem) = signal(None::<Problem>);
    let load = move || {
        let present = |text: String| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        let query = AuditQuery {
            entity_type: present(entity_type.get_untracked()),
            entity_id: present(entity_id.get_untracked()),
            limit: Some(PAGE_SIZE),
            offset: Some(offset.get_untracked()),
        };
        load_page(session, page, set_problem, move |session| async move {
            session.admin().audit_log(&query).await
        });
    };
    load();
    view! {
        <section aria-labelledby="audit-title">
            <h1 id="audit-title">"Audit log"</h1>
            <form class="row" role="search" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                offset.set(0);
                load();
            }>
                <label>"Record kind "
                    <select on:change=move |ev| entity_type.set(event_target_value(&ev))>
                        <option value="">"All"</option>
                        {AUDIT_ENTITY_TYPES.iter().map(|t| view! { <option value=*t>{t.replace('_', " ")}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Record id "
                    <input prop:value=move || entity_id.get() on:input=move |ev| entity_id.set(event_target_value(&ev)) />
                </label>
                <button type="submit">"Filter"</button>
            </form>
            <ProblemView problem=problem />
            <table>
                <thead><tr><th>"When"</th><th>"Who"</th><th>"What"</th><th>"Record"</th><th>"Changes"</th></tr></thead>
                <tbody>
                    {move || page.get().map(|page| page.items.into_iter().map(|entry| {
                        let who = if entry.actor.kind == "system" {
                            format!("Colmena ({})", entry.actor.label)
                        } else {
                            format!("{} ({})", entry.actor.label, entry.actor.kind.replace('_', " "))
                        };
                        // Ids are long: the first 8 characters tell records apart on screen, and
                        // the whole id is in the tooltip (and filters the log).
                        let short_id: String = entry.entity_id.chars().take(8).collect();
                        let record = format!("{} {short_id}", entry.entity_type.replace('_', " "));
                        let full = entry.entity_id.clone();
                        let changed = changes(&entry).into_iter().map(|line| view! { <li>{line}</li> }).collect_view();
                        view! {
                            <tr>
                                <td>{short_time(entry.created_at.as_str())}</td>
                                <td>{who}</td>
                                <td>{entry.action.replace('_', " ")}</td>
                                <td class="wrap" title=full>{record}</td>
                                <td><ul class="attempts">{changed}</ul></td>
                            </tr>
                        }
                    }).collect_view())}
                </tbody>
            </table>
            <Pager offset=offset page=page reload=load />
        </section>
    }
}
