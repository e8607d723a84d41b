//! `@colmena/sdk/chat`: sdk-core's chat interpreter on the device, built from the store's chat
//! catalog (`Colmena.chatCatalog()`), for an app's own chat box. A module of its own: the
//! interpreter's stemmers and language detection weigh about as much as the whole client, and
//! only apps that read messages on the device need them.
//!
//! ```js
//! import { Colmena } from "@colmena/sdk";
//! import init, { ChatInterpreter } from "@colmena/sdk/chat";
//! await init();
//! const interpreter = new ChatInterpreter(await new Colmena(api, "demo").chatCatalog());
//! const first = interpreter.interpret("quiero una chaqueta");
//! ```

use colmena_sdk::chat::Interpreter;
use colmena_sdk::contract::{ChatCatalog, ChatInterpretRequest, Interpretation};
use colmena_sdk::json::Decode;
use colmena_sdk::Uuid;
use colmena_wasm::{from_js, invalid_argument, to_js};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
import type { ChatCatalog, ChatInterpretRequest, Interpretation } from "./api-types.js";
export type { ChatCatalog, ChatInterpretRequest, Interpretation } from "./api-types.js";
/** Options of `ChatInterpreter.interpret`: the members of a `ChatInterpretRequest` but its
 * text (the buyer's language, the previous interpretation, the products in the cart). */
export type ChatInterpretOptions = Omit<ChatInterpretRequest, "text">;
"#;

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
/// const first = interpreter.interpret("quiero una chaqueta");
/// if (first.question) show(first.question.text); // "Chaqueta ventilada — ¿Qué talla? 1. S …"
/// const answer = interpreter.interpret("la L", { previous: first });
/// ```
#[wasm_bindgen]
pub struct ChatInterpreter {
    interpreter: Interpreter,
}

#[wasm_bindgen]
impl ChatInterpreter {
    /// Indexes `catalog` (from `Colmena.chatCatalog()`): build it once, interpret any number of
    /// messages. Throws `InvalidRequestError` for something that is not a chat catalog.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ChatCatalog")] catalog: JsValue,
    ) -> Result<ChatInterpreter, JsValue> {
        let catalog: ChatCatalog =
            from_js(&catalog).map_err(|e| invalid_argument(format!("catalog: {e}")))?;
        Ok(Self {
            interpreter: Interpreter::new(&catalog),
        })
    }

    /// What `text` asks for: `{intent, items, confidence, language, question?, query?,
    /// humanRequested}`. `options.locale` is the buyer's language when known (detected from the
    /// text otherwise); `options.previous`, the interpretation of the buyer's last message,
    /// whose question this one may answer; `options.inCart`, the ids of the products in the
    /// buyer's cart.
    #[wasm_bindgen(unchecked_return_type = "Interpretation")]
    pub fn interpret(
        &self,
        text: String,
        #[wasm_bindgen(unchecked_optional_param_type = "ChatInterpretOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let options: InterpretOptions = if options.is_undefined() || options.is_null() {
            InterpretOptions::default()
        } else {
            from_js(&options).map_err(|e| invalid_argument(format!("options: {e}")))?
        };
        to_js(&self.interpreter.interpret(&ChatInterpretRequest {
            text,
            locale: options.locale,
            previous: options.previous,
            in_cart: options.in_cart,
        }))
    }

    /// The ids of the products whose names best match `text` (a search), best first, at most
    /// `limit` (default 5).
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn find(&self, text: String, limit: Option<u32>) -> Result<JsValue, JsValue> {
        to_js(&self.interpreter.find(&text, limit.unwrap_or(5) as usize))
    }
}
