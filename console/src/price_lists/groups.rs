//! Customer groups: buyers by email, whom a price list can give their own prices. Listed with
//! their members and how many price lists are for them; created, renamed and given members (one
//! email per line) in one form; deleted after a warning that their price lists go with them.
//!
//! The form's fields are named under `group.` (`#field-group-name`), apart from the price list
//! form's on the same page; a refused member (`emails[1]`) is said with its line.

use colmena_sdk::contract::{CustomerGroup, CustomerGroupInput, PriceList};
use leptos::prelude::*;

use super::focus_by_id;
use crate::calls::call_api;
use crate::catalog::ConfirmButton;
use crate::field::{Field, FormProblem};
use crate::{Problem, ProblemView, SharedSession};

/// The group whose form is open.
#[derive(Debug, Clone, PartialEq)]
enum GroupEditing {
    New,
    Existing(CustomerGroup),
}

/// The members typed one per line: each address with its line number (from 1), blank lines
/// left out.
fn member_lines(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim().to_owned()))
        .filter(|(_, line)| !line.is_empty())
        .collect()
}

/// The API's refusal as the group form shows it: under `group.`, a refused member with the
/// line it is on, and a name another group has beside the name.
fn refusal(error: colmena_sdk::Error, members: &[(usize, String)]) -> Problem {
    let name_taken = match &error {
        colmena_sdk::Error::Conflict(failure) => failure
            .details
            .as_ref()
            .is_some_and(|details| details.status.as_deref() == Some("name_taken")),
        _ => false,
    };
    let mut problem = Problem::from(error);
    if name_taken {
        problem.field = Some("name".to_owned());
    }
    let member = problem
        .field
        .as_deref()
        .and_then(|field| field.strip_prefix("emails["))
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|index| index.parse::<usize>().ok())
        .and_then(|index| members.get(index));
    if let Some((line, email)) = member {
        let reason = problem.reason().to_owned();
        problem.reason = Some(format!("line {line} ({email}) {reason}"));
    }
    problem.within("group")
}

/// Members in words: "2 members: ana@example.com, mo@example.com".
fn members_words(emails: &[String]) -> String {
    const SHOWN: usize = 3;
    let count = match emails.len() {
        0 => return "No members yet".to_owned(),
        1 => "1 member".to_owned(),
        n => format!("{n} members"),
    };
    let mut shown = emails
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if emails.len() > SHOWN {
        shown.push_str(", …");
    }
    format!("{count}: {shown}")
}

/// The store's customer groups, and the form of the one being created or edited.
#[component]
pub fn CustomerGroups(
    session: SharedSession,
    groups: RwSignal<Vec<CustomerGroup>>,
    lists: RwSignal<Option<Vec<PriceList>>>,
    /// Loads the price lists and groups again (a deleted group takes its lists along).
    reload: Callback<()>,
) -> impl IntoView {
    let form = RwSignal::new(None::<GroupEditing>);
    let (problem, set_problem) = signal(None::<Problem>);
    let done = RwSignal::new(None::<String>);
    let open = move |editing: GroupEditing| {
        done.set(None);
        form.set(Some(editing));
        focus_by_id("group-form-title");
    };
    let saved = Callback::new(move |name: String| {
        form.set(None);
        done.set(Some(format!("Saved the customer group {name}.")));
        reload.run(());
        focus_by_id("groups-title");
    });
    let cancel = Callback::new(move |()| {
        form.set(None);
        focus_by_id("groups-title");
    });
    let rows = move || {
        let all = groups.get();
        if all.is_empty() {
            return view! { <p>"No customer groups yet."</p> }.into_any();
        }
        let rows = all
            .into_iter()
            .map(|group| {
                let group_id = group.id;
                let name = group.name.clone();
                let their_lists = lists.with(|lists| {
                    lists.iter().flatten().filter(|list| list.list.customer_group_id == Some(group_id)).count()
                });
                let delete = Callback::new(move |()| {
                    call_api(
                        session,
                        set_problem,
                        None,
                        move |session| async move { session.admin().delete_customer_group(group_id).await },
                        move |deleted: CustomerGroup| {
                            done.set(Some(format!("Deleted the customer group {}.", deleted.name)));
                            reload.run(());
                            focus_by_id("groups-title");
                        },
                    );
                });
                let question = match their_lists {
                    0 => format!("Delete the group {name}? Price lists for it would go with it; it has none."),
                    1 => format!("Delete the group {name}? Its price list is deleted with it."),
                    n => format!("Delete the group {name}? Its {n} price lists are deleted with it."),
                };
                let edited = group.clone();
                view! {
                    <tr>
                        <td>{name.clone()}</td>
                        <td class="wrap">{members_words(&group.emails)}</td>
                        <td class="number">{their_lists}</td>
                        <td>
                            <span class="node-actions">
                                <button type="button" aria-label=format!("Edit {name}")
                                    on:click=move |_| open(GroupEditing::Existing(edited.clone()))>"Edit"</button>
                                <ConfirmButton label="Delete" name=format!("Delete {name}")
                                    question=question on_confirm=delete />
                            </span>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="groups">
                <thead><tr>
                    <th>"Name"</th>
                    <th>"Members"</th>
                    <th class="number">"Price lists"</th>
                    <th><span class="visually-hidden">"Actions"</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="groups-title" class="customer-groups">
            <div class="row">
                <h2 id="groups-title" tabindex="-1">"Customer groups"</h2>
                <button type="button" on:click=move |_| open(GroupEditing::New)
                    prop:disabled=move || form.get() == Some(GroupEditing::New)>"New customer group"</button>
            </div>
            <p class="hint">
                "Buyers by email address (wholesale customers, members). A price list for a group gives its members "
                "its prices once they sign in with the access link the store emails them."
            </p>
            {move || form.get().map(|editing| view! {
                <GroupForm session=session editing=editing on_saved=saved on_cancel=cancel />
            })}
            <ProblemView problem=problem />
            <p role="status">{move || done.get()}</p>
            {rows}
        </section>
    }
}

/// A group's name and members (one email per line).
#[component]
fn GroupForm(
    session: SharedSession,
    editing: GroupEditing,
    on_saved: Callback<String>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let existing = match editing {
        GroupEditing::New => None,
        GroupEditing::Existing(group) => Some(group),
    };
    let group_id = existing.as_ref().map(|group| group.id);
    let name = RwSignal::new(
        existing
            .as_ref()
            .map(|group| group.name.clone())
            .unwrap_or_default(),
    );
    let members = RwSignal::new(
        existing
            .as_ref()
            .map(|group| group.emails.join("\n"))
            .unwrap_or_default(),
    );
    let (problem, set_problem) = signal(None::<Problem>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let lines = member_lines(&members.get_untracked());
        let input = CustomerGroupInput {
            name: name.get_untracked(),
            emails: lines.iter().map(|(_, email)| email.clone()).collect(),
        };
        let saved_name = input.name.trim().to_owned();
        call_api(
            session,
            set_problem,
            Some(busy),
            move |session| async move {
                let admin = session.admin();
                let saved = match group_id {
                    None => admin.create_customer_group(&input).await,
                    Some(id) => admin.replace_customer_group(id, &input).await,
                };
                saved.map_err(|error| refusal(error, &lines))
            },
            move |_| on_saved.run(saved_name),
        );
    };
    let (title, button) = match &existing {
        Some(group) => (format!("Edit {}", group.name), "Save group"),
        None => ("New customer group".to_owned(), "Create group"),
    };
    view! {
        <form class="form group-form" novalidate on:submit=submit aria-labelledby="group-form-title">
            <h3 id="group-form-title" tabindex="-1">{title}</h3>
            <Field label="Group name (e.g. Wholesale)" parameter="group.name" value=name problem=problem required=true />
            <Field label="Members" parameter="group.emails" value=members problem=problem multiline=true rows=6
                hint="One email address per line." />
            <FormProblem problem=problem placed=["group.name", "group.emails"] />
            <div class="row actions">
                <button type="submit" prop:disabled=move || busy.get()>{button}</button>
                <button type="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_lines() {
        assert_eq!(
            member_lines("ana@example.com\n\n  mo@example.com \n"),
            [
                (1, "ana@example.com".to_owned()),
                (3, "mo@example.com".to_owned())
            ]
        );
        assert!(member_lines("\n \n").is_empty());
    }

    #[test]
    fn members_in_words() {
        assert_eq!(members_words(&[]), "No members yet");
        assert_eq!(
            members_words(&["ana@example.com".to_owned()]),
            "1 member: ana@example.com"
        );
        let four: Vec<String> = (1..=4).map(|n| format!("m{n}@example.com")).collect();
        assert_eq!(
            members_words(&four),
            "4 members: m1@example.com, m2@example.com, m3@example.com, …"
        );
    }
}
