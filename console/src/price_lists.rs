//! Price lists and customer groups (owners and admins): sales that start and end at set times,
//! and a customer group's own prices. The page lists each price list with its state in words
//! (on now, scheduled, ended, switched off), its kind, its group, its window in the browser's
//! time zone and how many variants it prices; a form creates or edits one (its prices picked
//! from the store's products, typed in the store currency or filled from a percentage off);
//! customer groups are managed below the lists. The API checks everything, and its refusals
//! show beside the fields they name.

mod form;
mod groups;

use colmena_sdk::contract::{CustomerGroup, PriceList, PriceListKind, Timestamp};
use colmena_sdk::Uuid;
use leptos::prelude::*;

use crate::calls::call_api;
use crate::catalog::ConfirmButton;
use crate::pricing::store_currency;
use crate::storefront::local_time::{local_display, time_zone_name};
use crate::{Problem, ProblemView, SharedSession};
use form::ListForm;
use groups::CustomerGroups;

/// Where a price list stands now, as the table says it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ListState {
    /// Its prices apply.
    OnNow,
    /// Switched on, and starts at this time.
    Scheduled(Timestamp),
    /// Switched on, and its end has passed.
    Ended,
    /// Switched off: its window does not matter.
    SwitchedOff,
}

impl ListState {
    /// The state of `list` at `now` (milliseconds since 1970). The API's `inForce` decides
    /// whether it is on; the times only say why not.
    fn of(list: &PriceList, now: i64) -> Self {
        if !list.list.active {
            return Self::SwitchedOff;
        }
        if list.in_force {
            return Self::OnNow;
        }
        let ended = list
            .list
            .ends_at
            .as_ref()
            .and_then(Timestamp::unix_millis)
            .is_some_and(|end| end <= now);
        match &list.list.starts_at {
            Some(start) if !ended => Self::Scheduled(start.clone()),
            _ => Self::Ended,
        }
    }

    /// In words, with the start of a scheduled list in the browser's time zone.
    fn words(&self) -> String {
        match self {
            Self::OnNow => "On now".to_owned(),
            Self::Scheduled(start) => format!("Scheduled (starts {})", local_display(start)),
            Self::Ended => "Ended".to_owned(),
            Self::SwitchedOff => "Switched off".to_owned(),
        }
    }

    /// The class of its badge.
    fn class(&self) -> &'static str {
        match self {
            Self::OnNow => "status live",
            Self::Scheduled(_) => "status scheduled",
            Self::Ended => "status ended",
            Self::SwitchedOff => "status switched-off",
        }
    }
}

/// A list's kind, in words.
fn kind_words(kind: PriceListKind) -> &'static str {
    match kind {
        PriceListKind::Sale => "Sale",
        PriceListKind::Override => "Own prices",
    }
}

/// A list's window in words, its times in the browser's time zone.
fn window_words(starts_at: Option<&Timestamp>, ends_at: Option<&Timestamp>) -> String {
    match (starts_at, ends_at) {
        (None, None) => "Always".to_owned(),
        (Some(start), None) => format!("From {} (no end)", local_display(start)),
        (None, Some(end)) => format!("Until {}", local_display(end)),
        (Some(start), Some(end)) => {
            format!("{} to {}", local_display(start), local_display(end))
        }
    }
}

/// The browser's time zone for labels, or words for it when it cannot tell.
fn zone_words() -> String {
    let zone = time_zone_name();
    if zone.is_empty() {
        "your time zone".to_owned()
    } else {
        zone
    }
}

/// The name of the group `id` among `groups` (a list's group that is gone: "a deleted group").
fn group_name(groups: &[CustomerGroup], id: Option<Uuid>) -> String {
    match id {
        None => "Every shopper".to_owned(),
        Some(id) => groups
            .iter()
            .find(|group| group.id == id)
            .map_or_else(|| "A deleted group".to_owned(), |group| group.name.clone()),
    }
}

/// The list whose form is open.
#[derive(Debug, Clone, PartialEq)]
enum Editing {
    New,
    Existing(Box<PriceList>),
}

#[component]
pub fn PriceLists(session: SharedSession) -> impl IntoView {
    let (problem, set_problem) = signal(None::<Problem>);
    let currency = RwSignal::new(String::new());
    store_currency(session, currency);
    let lists = RwSignal::new(None::<Vec<PriceList>>);
    let groups = RwSignal::new(Vec::<CustomerGroup>::new());
    let form = RwSignal::new(None::<Editing>);
    let done = RwSignal::new(None::<String>);
    let reload = Callback::new(move |()| {
        call_api(
            session,
            set_problem,
            None,
            |session| async move {
                let admin = session.admin();
                Ok::<_, colmena_sdk::Error>((
                    admin.price_lists().await?,
                    admin.customer_groups().await?,
                ))
            },
            move |(found, found_groups)| {
                groups.set(found_groups);
                lists.set(Some(found));
            },
        );
    });
    reload.run(());
    let saved = Callback::new(move |name: String| {
        form.set(None);
        done.set(Some(format!("Saved the price list {name}.")));
        reload.run(());
        focus_by_id("price-lists-title");
    });
    let cancel = Callback::new(move |()| {
        form.set(None);
        focus_by_id("price-lists-title");
    });
    let open = move |editing: Editing| {
        done.set(None);
        form.set(Some(editing));
        focus_by_id("list-form-title");
    };
    let rows = move || {
        let now = js_sys::Date::now() as i64;
        lists.get().map(|found| {
            if found.is_empty() {
                return view! { <p>"No price lists yet."</p> }.into_any();
            }
            let groups_now = groups.get();
            let rows = found
                .into_iter()
                .map(|list| {
                    let state = ListState::of(&list, now);
                    let group = group_name(&groups_now, list.list.customer_group_id);
                    list_row(session, list, state, group, set_problem, reload, open)
                })
                .collect_view();
            view! {
                <table class="price-lists">
                    <thead><tr>
                        <th>"Name"</th>
                        <th>"Kind"</th>
                        <th>"State"</th>
                        <th>"For"</th>
                        <th>{format!("When ({})", zone_words())}</th>
                        <th class="number">"Variants"</th>
                        <th><span class="visually-hidden">"Actions"</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        })
    };
    view! {
        <section aria-labelledby="price-lists-title">
            <div class="row">
                <h1 id="price-lists-title" tabindex="-1">"Price lists"</h1>
                <button type="button" on:click=move |_| open(Editing::New)
                    prop:disabled=move || form.get() == Some(Editing::New)>"New price list"</button>
            </div>
            <p class="hint">
                "A sale shows every shopper its prices with the regular price struck through. "
                "Own prices are for the members of a customer group, signed in with the access link the store emails them. "
                "When several lists price a variant, the shopper pays the lowest price in force."
            </p>
            {move || form.get().map(|editing| view! {
                <ListForm session=session editing=editing groups=groups currency=currency
                    on_saved=saved on_cancel=cancel />
            })}
            <ProblemView problem=problem />
            <p role="status">{move || done.get()}</p>
            {rows}
            <CustomerGroups session=session groups=groups lists=lists reload=reload />
        </section>
    }
}

/// One price list in the table, with its edit and delete buttons.
fn list_row(
    session: SharedSession,
    list: PriceList,
    state: ListState,
    group: String,
    problem: WriteSignal<Option<Problem>>,
    reload: Callback<()>,
    open: impl Fn(Editing) + Copy + 'static,
) -> impl IntoView {
    let id = list.id;
    let name = list.list.name.clone();
    let delete = Callback::new(move |()| {
        call_api(
            session,
            problem,
            None,
            move |session| async move { session.admin().delete_price_list(id).await },
            move |_| reload.run(()),
        );
    });
    let window = window_words(list.list.starts_at.as_ref(), list.list.ends_at.as_ref());
    let count = list.list.prices.len();
    let kind = kind_words(list.list.kind);
    let edited = Box::new(list);
    view! {
        <tr>
            <td>{name.clone()}</td>
            <td>{kind}</td>
            <td><span class=state.class()>{state.words()}</span></td>
            <td>{group}</td>
            <td>{window}</td>
            <td class="number">{count}</td>
            <td>
                <span class="node-actions">
                    <button type="button" aria-label=format!("Edit {name}")
                        on:click=move |_| open(Editing::Existing(edited.clone()))>"Edit"</button>
                    <ConfirmButton label="Delete" name=format!("Delete {name}")
                        question=format!("Delete the price list {name}? Its prices stop at once.") on_confirm=delete />
                </span>
            </td>
        </tr>
    }
}

/// Gives the focus to the element `id` once the page has drawn (a form opened or closed: the
/// keyboard user carries on from its heading).
fn focus_by_id(id: &'static str) {
    request_animation_frame(move || {
        let element = document().get_element_by_id(id);
        if let Some(element) =
            element.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = element.focus();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use colmena_sdk::contract::PriceListInput;

    fn list(active: bool, in_force: bool, starts: Option<&str>, ends: Option<&str>) -> PriceList {
        PriceList {
            id: Uuid::from_u128(1),
            list: PriceListInput {
                name: "Sale".to_owned(),
                kind: PriceListKind::Sale,
                customer_group_id: None,
                starts_at: starts.map(Timestamp::new),
                ends_at: ends.map(Timestamp::new),
                active,
                prices: Vec::new(),
            },
            in_force,
            updated_at: Timestamp::new("2026-01-01T00:00:00Z"),
        }
    }

    #[test]
    fn states_in_words() {
        // 2026-06-01T00:00:00Z
        let now = 1_780_272_000_000;
        let past = Some("2026-05-01T00:00:00Z");
        let future = Some("2026-07-01T00:00:00Z");
        assert_eq!(
            ListState::of(&list(true, true, past, future), now),
            ListState::OnNow
        );
        assert_eq!(
            ListState::of(&list(false, false, past, future), now),
            ListState::SwitchedOff
        );
        assert_eq!(
            ListState::of(&list(true, false, future, None), now),
            ListState::Scheduled(Timestamp::new("2026-07-01T00:00:00Z"))
        );
        assert_eq!(
            ListState::of(&list(true, false, None, past), now),
            ListState::Ended
        );
        assert_eq!(
            ListState::of(&list(true, false, Some("2026-04-01T00:00:00Z"), past), now),
            ListState::Ended
        );
        assert_eq!(ListState::OnNow.words(), "On now");
        assert_eq!(ListState::Ended.words(), "Ended");
        assert_eq!(ListState::SwitchedOff.words(), "Switched off");
    }

    #[test]
    fn groups_named() {
        let groups = vec![CustomerGroup {
            id: Uuid::from_u128(7),
            name: "Wholesale".to_owned(),
            emails: Vec::new(),
            updated_at: Timestamp::new("2026-01-01T00:00:00Z"),
        }];
        assert_eq!(group_name(&groups, None), "Every shopper");
        assert_eq!(group_name(&groups, Some(Uuid::from_u128(7))), "Wholesale");
        assert_eq!(
            group_name(&groups, Some(Uuid::from_u128(8))),
            "A deleted group"
        );
    }
}
