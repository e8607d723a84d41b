//! A preview token, shown once, with the snippet that shows the saved draft on the merchant's
//! own page: the storefront widget's elements take it in their `preview` attribute.

use colmena_sdk::contract::PreviewToken;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use super::local_time::{local_display, time_zone_name};
use crate::ShownOnce;

/// The page's origin, which serves the API and the widget.
fn origin() -> String {
    web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default()
}

/// The HTML that shows `store`'s draft with `token` on any page whose origin the store allows.
fn snippet(origin: &str, store: &str, token: &str) -> String {
    format!(
        "<script type=\"module\" src=\"{origin}/widget/colmena.js\"></script>\n\
         <colmena-products store=\"{store}\" preview=\"{token}\"></colmena-products>"
    )
}

/// A new preview token, its expiry, the snippet to paste and a link to the draft as
/// storefronts receive it.
#[component]
pub fn PreviewShown(token: PreviewToken, store: String) -> impl IntoView {
    let origin = origin();
    let html = snippet(&origin, &store, &token.token);
    let document_url = format!(
        "{origin}/api/v1/stores/{}/storefront?preview={}",
        js_sys::encode_uri_component(&store),
        js_sys::encode_uri_component(&token.token)
    );
    let zone = time_zone_name();
    let what = format!(
        "Preview token, shown only once. It shows the saved draft until {} ({zone}):",
        local_display(&token.expires_at)
    );
    let copied = RwSignal::new(None::<&'static str>);
    let to_copy = StoredValue::new(html.clone());
    let copy = move |_| {
        let Some(navigator) = web_sys::window().map(|window| window.navigator()) else {
            return;
        };
        let clipboard = navigator.clipboard();
        // Browsers offer the clipboard only to secure pages (https, or this machine).
        if clipboard.is_undefined() {
            copied.set(Some(
                "Copying is not available here: select the snippet and copy it.",
            ));
            return;
        }
        let promise = clipboard.write_text(&to_copy.get_value());
        spawn_local(async move {
            copied.set(Some(match JsFuture::from(promise).await {
                Ok(_) => "Copied.",
                Err(_) => "The browser refused to copy: select the snippet and copy it.",
            }));
        });
    };
    view! {
        <section class="preview" aria-labelledby="preview-title">
            <h2 id="preview-title">"Preview on your site"</h2>
            <ShownOnce what=what secret=token.token.clone() />
            <p>"Paste this into a page of your site (one shoppers do not visit) to see the draft there:"</p>
            <pre class="snippet"><code>{html}</code></pre>
            <div class="row">
                <button type="button" id="copy-snippet" on:click=copy>"Copy the snippet"</button>
                <span role="status">{move || copied.get()}</span>
            </div>
            <p class="hint">
                "Your site's address must be among the allowed storefront origins (Settings). "
                "Shoppers keep seeing the live version. "
                <a href=document_url target="_blank" rel="noopener">"The draft as storefronts receive it"</a>
            </p>
        </section>
    }
}
