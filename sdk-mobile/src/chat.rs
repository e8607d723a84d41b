//! `ChatInterpreter`: sdk-core's chat interpreter on the device (Kotlin and Swift), built from
//! the store's chat catalog, for an app's own chat box.

use std::sync::Arc;

use colmena_sdk::chat::Interpreter;
use colmena_sdk::contract::{ChatCatalog, ChatInterpretRequest, Interpretation};
use colmena_sdk::Uuid;

/// The chat interpreter on this device: what a buyer's message asks of their cart, in English,
/// Spanish, French, Portuguese or Swahili, matched against the store's catalog with no request
/// to the server (the server reads messages with the same code). Build it once per catalog
/// (`ColmenaClient.chatCatalog()`); it is safe to share between threads.
#[derive(Debug, uniffi::Object)]
pub struct ChatInterpreter {
    inner: Interpreter,
}

#[uniffi::export]
impl ChatInterpreter {
    /// Indexes `catalog`.
    #[uniffi::constructor]
    pub fn new(catalog: ChatCatalog) -> Arc<Self> {
        Arc::new(Self {
            inner: Interpreter::new(&catalog),
        })
    }

    /// What `request.text` asks for. `request.locale` is the buyer's language when known
    /// (detected from the text otherwise); `request.previous`, the interpretation of the buyer's
    /// last message, whose question this one may answer; `request.in_cart`, the products in the
    /// buyer's cart.
    pub fn interpret(&self, request: ChatInterpretRequest) -> Interpretation {
        self.inner.interpret(&request)
    }

    /// The products whose names best match `text` (a search), best first, at most `limit`.
    pub fn find(&self, text: String, limit: u32) -> Vec<Uuid> {
        self.inner.find(&text, limit as usize)
    }
}
