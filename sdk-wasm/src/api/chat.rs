//! `ChatInterpreter`: sdk-core's chat interpreter on the device, built from the store's chat
//! catalog (`Colmena.chatCatalog`), for an app's own chat box.

use std::rc::Rc;

use colmena_sdk::chat::Interpreter;
use colmena_sdk::contract::{ChatCatalog, ChatInterpretRequest, Interpretation};
use colmena_sdk::json::Decode;
use uuid::Uuid;
use wasm_bindgen::prelude::*;

use super::edge::{js_methods, Arg};

/// `interpret`'s options: everything of a `ChatInterpretRequest` but its text.
#[derive(Debug, Default, Decode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct InterpretOptions {
    #[serde(default)]
    locale: Option<String>,
    #[serde(default)]
    previous: Option<Interpretation>,
    #[serde(default)]
    in_cart: Vec<Uuid>,
}

/// The chat interpreter on this device: what a buyer's message asks of their cart, in English,
/// Spanish, French, Portuguese or Swahili, matched against the store's catalog with no request
/// to the server (the server's `interpret` reads messages with the same code).
///
/// ```js
/// const interpreter = new ChatInterpreter(await colmena.chatCatalog());
/// const first = interpreter.interpret("quiero 2 chaquetas");
/// if (first.question) show(first.question.text);         // "¿Qué talla…? 1. S 2. M 3. L"
/// const answer = interpreter.interpret("la L", { previous: first });
/// ```
#[wasm_bindgen]
pub struct ChatInterpreter {
    interpreter: Rc<Interpreter>,
}

#[wasm_bindgen]
impl ChatInterpreter {
    /// Indexes `catalog` (from `Colmena.chatCatalog()`): build it once, interpret any number of
    /// messages. Throws `InvalidRequestError` for something that is not a chat catalog.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ChatCatalog")] catalog: JsValue,
    ) -> Result<ChatInterpreter, JsValue> {
        let catalog = ChatCatalog::from_arg(&catalog, "catalog")?;
        Ok(Self {
            interpreter: Rc::new(Interpreter::new(&catalog)),
        })
    }
}

js_methods! {
    impl ChatInterpreter(interpreter) {
        /// What `text` asks for: `{intent, items, confidence, language, question?, query?,
        /// humanRequested}`. `options.locale` is the buyer's language when known (detected from
        /// the text otherwise); `options.previous`, the interpretation of the buyer's last
        /// message, whose question this one may answer; `options.inCart`, the ids of the
        /// products in the buyer's cart.
        interpret(text: String = "string"; options?: InterpretOptions = "ChatInterpretOptions") -> sync "Interpretation" {
            let options = options.unwrap_or_default();
            Ok(interpreter.interpret(&ChatInterpretRequest {
                text,
                locale: options.locale,
                previous: options.previous,
                in_cart: options.in_cart,
            }))
        }

        /// The ids of the products whose names best match `text` (a search), best first, at
        /// most `limit` (default 5).
        find(text: String = "string"; limit?: u32 = "number") -> sync "string[]" {
            Ok(interpreter.find(&text, limit.unwrap_or(5) as usize))
        }
    }
}
