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
&lt;colmena-products store="demo" api="{api}" layout="grid"&gt;&lt;/colmena-products&gt;</pre>
{notice}
<colmena-products store="demo" api="{api}" layout="grid" limit="12"></colmena-products>
</main>
<script type="module" src="{api}/widget/colmena.js"></script>
</body>
</html>
"#
    ))
}
