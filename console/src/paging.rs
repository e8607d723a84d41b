//! What the console's paged tables share: loading a page from the API into a signal, and the
//! previous/next buttons.

use colmena_sdk::Page;
use leptos::prelude::*;

use crate::calls::call_api;
use crate::session::Session;
use crate::{Problem, SharedSession};

/// Rows per page of the console's tables.
pub const PAGE_SIZE: u32 = 20;

/// Runs `call` with the session and puts its page into `page`, or its failure into `problem`.
pub fn load_page<T, F>(
    session: SharedSession,
    page: RwSignal<Option<Page<T>>>,
    problem: WriteSignal<Option<Problem>>,
    call: impl FnOnce(Session) -> F + 'static,
) where
    T: Send + Sync + 'static,
    F: std::future::Future<Output = colmena_sdk::Result<Page<T>>> + 'static,
{
    call_api(session, problem, None, call, move |found| {
        page.set(Some(found))
    });
}

/// Previous and next buttons over `offset`; `reload` fetches the page at the new offset.
#[component]
pub fn Pager<T: Send + Sync + 'static>(
    offset: RwSignal<u64>,
    page: RwSignal<Option<Page<T>>>,
    reload: impl Fn() + Copy + 'static,
) -> impl IntoView {
    view! {
        <div class="row">
            <button prop:disabled=move || offset.get() == 0 on:click=move |_| {
                offset.update(|o| *o = o.saturating_sub(u64::from(PAGE_SIZE)));
                reload();
            }>"Previous"</button>
            <button prop:disabled=move || !page.with(|p| p.as_ref().is_some_and(|p| p.pagination.has_more)) on:click=move |_| {
                offset.update(|o| *o += u64::from(PAGE_SIZE));
                reload();
            }>"Next"</button>
        </div>
    }
}
