//! The demo page at `/`: a stand-in for a third-party shop site that embeds the widget with one
//! script tag and one custom element, exactly as a merchant would paste them.

use axum::extract::State;
use axum::response::Html;

use crate::AppState;

/// `GET /`.
pub async fn demo_page(State(state): State<AppState>) -> Html<String> {
    let api = state.urls.origin();
    let widget_built = state.widget_dir.join("colmena.js").is_file();
    let notice = if widget_built {
        String::new()
    } else {
        format!(
            "<p class=\"notice\">The widget is not built yet ({} has no colmena.js): \
             run <code>scripts/build-wasm.sh</code> and reload.</p>",
            state.widget_dir.display()
        )
    };
    Html(format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Colmena demo: a shop site embedding the widget</title>
<link rel="icon" href="data:,">
<style>
  body {{ font-family: system-ui, sans-serif; margin: 0; color: #1f2937; background: #fffbeb; }}
  header {{ padding: 1rem 2rem; background: #78350f; color: #fff; display: flex; gap: 1rem;
            align-items: center; justify-content: space-between; flex-wrap: wrap; }}
  header h1 {{ margin: 0; font-size: 1.5rem; }}
  main {{ padding: 1.5rem 2rem; max-width: 1200px; margin: 0 auto; }}
  .notice {{ padding: 1rem; background: #fee2e2; border-radius: .5rem; }}
  pre {{ background: #fff; padding: 1rem; border-radius: .5rem; overflow-x: auto; }}
</style>
</head>
<body>
<header><h1>Colmena Honey Co. — our shop</h1>
<colmena-cart store="demo" api="{api}"></colmena-cart></header>
<main>
<p>This page stands in for any third-party website. The storefront below is Colmena's widget,
embedded with one script tag and custom elements:</p>
<pre>&lt;script type="module" src="{api}/widget/colmena.js"&gt;&lt;/script&gt;
&lt;colmena-cart store="demo" api="{api}"&gt;&lt;/colmena-cart&gt;
&lt;colmena-products store="demo" api="{api}" layout="grid"&gt;&lt;/colmena-products&gt;
&lt;colmena-chat store="demo" api="{api}"&gt;&lt;/colmena-chat&gt;</pre>
{notice}
<colmena-products store="demo" api="{api}" layout="grid" limit="12"></colmena-products>
</main>
<colmena-chat store="demo" api="{api}"></colmena-chat>
<script type="module" src="{api}/widget/colmena.js"></script>
</body>
</html>
"#
    ))
}

/// `GET /orders`: the page a buyer's emailed access link opens
/// (`/orders#store=SLUG&token=TOKEN`). Its script exchanges the token once (a POST, so that
/// mail scanners fetching the link do not spend it), drops it from the address bar, and lists
/// the buyer's orders with their download links. Everything is written with `textContent`, so
/// nothing from the API is read as HTML.
pub async fn orders_page() -> Html<&'static str> {
    Html(ORDERS_PAGE)
}

const ORDERS_PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Your orders</title>
<link rel="icon" href="data:,">
<style>
  body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 720px; padding: 1.5rem; color: #1f2937; }
  article { border: 1px solid #e5e7eb; border-radius: .5rem; padding: 1rem; margin: 1rem 0; }
  .muted { color: #6b7280; font-size: .9rem; }
</style>
</head>
<body>
<h1>Your orders</h1>
<p id="status" role="status">Opening your link…</p>
<div id="orders"></div>
<script>
(async () => {
  const status = document.getElementById("status");
  const list = document.getElementById("orders");
  const params = new URLSearchParams(location.hash.slice(1));
  const store = params.get("store");
  const token = params.get("token");
  // The token is spent below; it has no business staying in the address bar or the history.
  history.replaceState(null, "", location.pathname);
  if (!store || !token) { status.textContent = "This link is incomplete: ask the shop for a new one."; return; }
  const base = `/api/v1/stores/${encodeURIComponent(store)}/customer`;
  const opened = await fetch(`${base}/sessions`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }),
  });
  const session = await opened.json();
  if (!opened.ok) {
    status.textContent = session.error?.code === "ACCESS_LINK_EXPIRED"
      ? "This link was already used or has expired: ask the shop for a new one."
      : "This link does not work: ask the shop for a new one.";
    return;
  }
  const answer = await fetch(`${base}/orders?limit=100`, { headers: { "x-customer-token": session.data.token } });
  const orders = await answer.json();
  if (!answer.ok) { status.textContent = "Your orders cannot be shown right now."; return; }
  status.textContent = `${session.data.email}: ${orders.data.length} order(s)`;
  const add = (parent, tag, text) => { const node = document.createElement(tag); node.textContent = text; parent.append(node); return node; };
  const money = (m) => {
    const format = new Intl.NumberFormat(undefined, { style: "currency", currency: m.currency });
    return format.format(m.amount / 10 ** format.resolvedOptions().maximumFractionDigits);
  };
  for (const order of orders.data) {
    const article = add(list, "article", "");
    add(article, "h2", `Order ${order.id}`);
    add(article, "p", `${order.status} · ${order.createdAt}`).className = "muted";
    const items = add(article, "ul", "");
    for (const item of order.items) add(items, "li", `${item.quantity} × ${item.productName} (${item.variantTitle}): ${money(item.lineTotal)}`);
    add(article, "p", `Total: ${money(order.total)}`);
    for (const download of order.downloads) {
      const link = add(add(article, "p", ""), "a", `${download.fileName} (${download.downloadsRemaining} left)`);
      link.href = download.url;
    }
  }
})().catch(() => { document.getElementById("status").textContent = "Your orders cannot be shown right now."; });
</script>
</body>
</html>
"#;

/// The hosted checkout page a chat's checkout link opens (`/shop/{store}/checkout#cart=ID`):
/// the store's widget on a page of this server, with the conversation's cart as the shopper's
/// cart and its drawer open to pay.
#[derive(askama::Template)]
#[template(path = "pages/checkout.html")]
struct CheckoutPage<'a> {
    language: &'a str,
    store_name: &'a str,
    store_slug: &'a str,
    primary_color: &'a str,
    api: &'a str,
    /// The slug and API origin as JavaScript string literals.
    store_slug_json: String,
    api_json: String,
}

/// `GET /shop/{store}/checkout?lang=xx`: `lang` is the buyer's language (one of the widget's
/// five), the store's otherwise.
pub async fn checkout_page(
    State(state): State<AppState>,
    crate::http::PathParams(slug): crate::http::PathParams<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Result<Html<String>, crate::http::ApiError> {
    use askama::Template as _;
    let store = crate::stores::load_open_store(&state, &slug).await?;
    let api = state.urls.origin();
    const LANGUAGES: [&str; 5] = ["en", "es", "fr", "pt", "sw"];
    let asked = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(key, _)| key == "lang")
        .map(|(_, value)| value.into_owned());
    let own = crate::l10n::language_of(&store.locale);
    let language = LANGUAGES
        .iter()
        .find(|known| asked.as_deref() == Some(**known))
        .copied()
        .unwrap_or(&own);
    let page = CheckoutPage {
        language,
        store_name: &store.name,
        store_slug: &store.slug,
        primary_color: &store.branding.primary_color,
        api,
        store_slug_json: script_string(&store.slug),
        api_json: script_string(api),
    };
    page.render()
        .map(Html)
        .map_err(|error| crate::http::ApiError::internal(format!("checkout page: {error}")))
}

/// `text` as a JavaScript string literal that is safe inside a `<script>` element.
fn script_string(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}
