//! How pages call the API: with the signed-in session, showing a failure where the page says,
//! and saving the session afterwards (a call may have refreshed its tokens).

use std::future::Future;
use std::pin::Pin;

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
    let caller = session.clone();
    let task = async move {
        let answer = call(caller).await.map_err(Into::into)?;
        problem.set(None);
        done(answer);
        Ok(())
    };
    run(session, problem, busy, Box::pin(task));
}

/// What every call does whatever its types: compiled once rather than for each of the console's
/// calls (the WebAssembly's size).
fn run(
    session: Session,
    problem: WriteSignal<Option<Problem>>,
    busy: Option<RwSignal<bool>>,
    task: Pin<Box<dyn Future<Output = Result<(), Problem>>>>,
) {
    if let Some(busy) = busy {
        busy.set(true);
    }
    spawn_local(async move {
        if let Err(failure) = task.await {
            problem.set(Some(failure));
        }
        if let Some(busy) = busy {
            busy.set(false);
        }
        session.save().await;
    });
}
