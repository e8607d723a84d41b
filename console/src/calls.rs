//! How pages call the API: with the signed-in session, showing a failure where the page says,
//! and saving the session afterwards (a call may have refreshed its tokens).

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::session::Session;
use crate::{Problem, SharedSession};

/// Runs `call` with the session. Its answer goes to `done` (and clears `problem`); its failure
/// goes to `problem`. `busy`, when given, is true while the call runs, for forms to disable
/// their buttons (and tests to wait on).
pub fn call_api<T, E, F>(
    session: SharedSession,
    problem: WriteSignal<Option<Problem>>,
    busy: Option<RwSignal<bool>>,
    call: impl FnOnce(Session) -> F + 'static,
    done: impl FnOnce(T) + 'static,
) where
    T: 'static,
    E: Into<Problem>,
    F: Future<Output = Result<T, E>> + 'static,
{
    let session = session.get_value();
    if let Some(busy) = busy {
        busy.set(true);
    }
    spawn_local(async move {
        match call(session.clone()).await {
            Ok(answer) => {
                problem.set(None);
                done(answer);
            }
            Err(failure) => problem.set(Some(failure.into())),
        }
        if let Some(busy) = busy {
            busy.set(false);
        }
        session.save().await;
    });
}
