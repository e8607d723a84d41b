//! The chat interpreter: what a buyer's message asks of their cart, in English, Spanish,
//! French, Portuguese or Swahili, matched against the store's catalog. Pure Rust with no
//! network, so the server, the browser (wasm) and the apps (uniffi) all interpret alike.

use crate::contract::{ChatCatalog, ChatIntent, ChatInterpretRequest, Interpretation};

/// A store's catalog, indexed for interpreting messages. Build it once per catalog and
/// interpret any number of messages with it.
#[derive(Debug, Clone)]
pub struct Interpreter {
    language: String,
}

impl Interpreter {
    /// Indexes `catalog`.
    pub fn new(catalog: &ChatCatalog) -> Self {
        Self {
            language: catalog.language.clone(),
        }
    }

    /// What `request.text` asks for; `request.previous` is the interpretation of the buyer's
    /// last message, whose question this one may answer.
    pub fn interpret(&self, request: &ChatInterpretRequest) -> Interpretation {
        Interpretation {
            intent: ChatIntent::Unknown,
            items: Vec::new(),
            confidence: 0.0,
            language: request.locale.clone().unwrap_or_else(|| self.language.clone()),
            question: None,
            query: None,
            human_requested: false,
        }
    }
}
