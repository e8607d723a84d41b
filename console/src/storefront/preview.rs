//! A preview token, shown once, with the snippet that shows the saved draft on the merchant's
//! own page: the storefront widget's elements take it in their `preview` attribute.

use colmena_sdk::contract::PreviewToken;
use leptos::prelude::*;

use super::local_time::{local_display, time_zone_name};
use crate::{CopyButton, ShownOnce};

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
    view! {
        <section class="preview" aria-labelledby="preview-title">
            <h2 id="preview-title">"Preview on your site"</h2>
            <ShownOnce what=what secret=token.token.clone() />
            <p>"Paste this into a page of your site (one shoppers do not visit) to see the draft there:"</p>
            <pre class="snippet"><code>{html.clone()}</code></pre>
            <div class="row">
                <CopyButton text=html label="Copy the snippet" id="copy-snippet" />
            </div>
            <p class="hint">
                "Your site's address must be among the allowed storefront origins (Settings). "
                "Shoppers keep seeing the live version. "
                <a href=document_url target="_blank" rel="noopener">"The draft as storefronts receive it"</a>
            </p>
        </section>
    }
}
