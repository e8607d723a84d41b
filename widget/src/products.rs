//! `<colmena-products>`: a grid, list or carousel of products with search, category and sort
//! controls, filters, pages or infinite scroll, and a product-detail dialog.
//!
//! A plain listing reads the product list. Search text, filters, and the filters' panel go
//! through the search bundle (`widget-search`), which the loader fetches on first use: it asks
//! the API's search (relevance, typos forgiven, facets) and makes the filters' form; this
//! element shows its products and its form, and keeps the filters it answers as they are.

use std::cell::RefCell;
use std::rc::Rc;

use colmena_sdk::contract::{Category, Product, ProductListQuery, ProductSort};
use colmena_sdk::Error;
use futures_util::future::join3;
use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, KeyboardEvent};

use crate::dom::{self, append, button, el, set, text};
use crate::i18n::fill;
use crate::product;
use crate::shop::Shop;
use crate::views::{self, attribute, View, ViewRef};

#[derive(Default)]
pub struct State {
    pub query: ProductListQuery,
    pub layout: &'static str,
    /// Infinite scroll (and the carousel) append pages; otherwise pages replace each other.
    pub infinite: bool,
    pub controls: bool,
    pub items: Vec<Product>,
    pub total: u64,
    pub categories: Vec<Category>,
    /// The shopper's price and attribute filters: the query pairs the search bundle made,
    /// handed back to it unread (null or undefined: none), and how many filters they are.
    pub filters: JsValue,
    pub filter_count: u32,
    /// The filters' panel is open.
    pub filters_open: bool,
    /// The filters' form of the last search (the search bundle's), shown in the panel.
    pub filters_form: Option<Element>,
    pub loading: bool,
    /// The status line under the grid (quick-add outcome, a failed page).
    pub notice: Option<(bool, String)>,
    /// The detail dialog is open; focus returns to `opener` when it closes.
    pub open: bool,
    pub opener: String,
    /// Counts page requests: an answer for an older one is dropped.
    request: u32,
    observer: Option<(IntersectionObserver, JsValue)>,
}

const DEFAULT_LIMIT: u32 = 20;

thread_local! {
    /// The loader's `search(options)`: fetches the search bundle on first use and searches.
    static SEARCH: RefCell<Option<Function>> = const { RefCell::new(None) };
}

pub fn set_searcher(search: Function) {
    SEARCH.with(|searcher| *searcher.borrow_mut() = Some(search));
}

impl State {
    /// Whether pages come from the search rather than the product list: with search text, a
    /// filter, or the filters' panel open (it shows the search's facets).
    fn searching(&self) -> bool {
        self.filters_open || self.query.q.is_some() || self.filters.is_truthy()
    }
}

/// One page: its products, the number of matches, the number of filters that apply and, from
/// a search, the filters' form.
struct Found {
    items: Vec<Product>,
    total: u64,
    filter_count: u32,
    form: Option<Element>,
}

/// What the search bundle needs for a page of `query` with `filters` (see its `search`).
fn search_options(
    view: &View,
    shop: &Shop,
    query: &ProductListQuery,
    filters: &JsValue,
) -> JsValue {
    let state = view.state.borrow();
    let pairs: Array = query
        .to_query_pairs()
        .into_iter()
        .map(|(name, value)| Array::of2(&name.into(), &value.into()))
        .collect();
    dom::object(&[
        ("host", view.host.clone().into()),
        ("api", shop.client.base_url().into()),
        ("store", shop.client.store_slug().into()),
        // The content language the shop's client asks for.
        (
            "language",
            attribute(&view.host, "locale")
                .unwrap_or_else(|| "*".to_owned())
                .into(),
        ),
        ("locale", state.locale.as_str().into()),
        (
            "currency",
            state
                .store
                .as_ref()
                .map_or("", |s| s.currency.as_str())
                .into(),
        ),
        ("query", pairs.into()),
        ("filters", filters.clone()),
    ])
}

/// A page from the search bundle, which the loader fetches on first use. Fails with the
/// client's error (a `ColmenaError`), or the loader's when the bundle could not be fetched.
async fn search_page(options: JsValue) -> Result<Found, JsValue> {
    let search = SEARCH
        .with(|searcher| searcher.borrow().clone())
        .ok_or(JsValue::NULL)?;
    let found = JsFuture::from(Promise::from(search.call1(&JsValue::NULL, &options)?)).await?;
    let member = |name: &str| Reflect::get(&found, &name.into()).unwrap_or_default();
    let number = |name: &str| member(name).as_f64().unwrap_or(0.0);
    // The products as JSON text: read by this bundle's own product decoder.
    let items = member("products")
        .as_string()
        .and_then(|json| colmena_sdk::json::decode_str(&json).ok())
        .ok_or(JsValue::NULL)?;
    Ok(Found {
        items,
        total: number("total") as u64,
        filter_count: number("count") as u32,
        form: member("form").dyn_into().ok(),
    })
}

/// Whether a search failure may pass: the client's transient errors, or a bundle that could
/// not be fetched (no error code).
fn transient(error: &JsValue) -> bool {
    let member = |name: &str| Reflect::get(error, &name.into()).unwrap_or_default();
    member("status").as_f64().unwrap_or(0.0) >= 500.0
        || matches!(
            member("code").as_string().as_deref(),
            None | Some("NETWORK_ERROR" | "TIMEOUT" | "RATE_LIMITED")
        )
}

fn flag(host: &Element, name: &str) -> Result<Option<bool>, String> {
    attribute(host, name)
        .map(|v| match v.as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(format!(
                "{name} \u{201c}{other}\u{201d} is not true or false"
            )),
        })
        .transpose()
}

/// Reads the element's attributes; a mistake is reported to the site's developer.
fn configure(host: &Element) -> Result<(ProductListQuery, &'static str, bool, bool), String> {
    let layout = match attribute(host, "layout").as_deref() {
        None | Some("grid") => "grid",
        Some("list") => "list",
        Some("carousel") => "carousel",
        Some(other) => {
            return Err(format!(
                "layout \u{201c}{other}\u{201d} is not grid, list or carousel"
            ))
        }
    };
    let infinite = match attribute(host, "pagination").as_deref() {
        None | Some("pages") => layout == "carousel",
        Some("infinite") => true,
        Some(other) => {
            return Err(format!(
                "pagination \u{201c}{other}\u{201d} is not pages or infinite"
            ))
        }
    };
    let mut pairs: Vec<(&str, String)> = Vec::new();
    for name in ["limit", "category", "featured", "sort"] {
        if let Some(value) = attribute(host, name) {
            pairs.push((name, value));
        }
    }
    if let Some(search) = attribute(host, "search") {
        pairs.push(("q", search));
    }
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // The API's own parser and validation: the same rules and messages as the server's.
    let attribute_error = |e: colmena_sdk::contract::InvalidParameter| {
        let name = if e.parameter == "q" {
            "search"
        } else {
            &e.parameter
        };
        format!("{name}: {}", e.message)
    };
    let mut query = ProductListQuery::from_query_pairs(&pairs).map_err(attribute_error)?;
    query.validate().map_err(attribute_error)?;
    query.limit = Some(query.limit.unwrap_or(DEFAULT_LIMIT));
    let controls = flag(host, "controls")?.unwrap_or(true);
    Ok((query, layout, infinite, controls))
}

pub async fn load(view: &ViewRef, shop: &Rc<Shop>, generation: u32) -> Result<(), Error> {
    let (query, layout, infinite, controls) = configure(&view.host)
        .map_err(|message| Error::invalid(format!("Colmena widget: {message}")))?;
    if view.state.borrow().products.items.is_empty() {
        view.show(&views::loading(view.strings().loading));
    }
    // The store profile (locale, branding), the first page and the categories load in parallel.
    let categories = async {
        if controls {
            shop.categories().await.unwrap_or_default()
        } else {
            Vec::new()
        }
    };
    // Search text in the markup is searched, once the store is known (its currency and locale
    // are the filters' form's): the search bundle asks for the first page.
    let search = query.q.is_some() || view.state.borrow().products.filters_open;
    let list = async {
        if search {
            Ok(None)
        } else {
            shop.client.list_products(&query).await.map(Some)
        }
    };
    let (store, page, categories) = join3(shop.store(), list, categories).await;
    if !view.is_current(generation) {
        return Ok(());
    }
    views::use_store(view, store?);
    let page = page?;
    let total = page.as_ref().map_or(0, |page| page.pagination.total);
    {
        let mut state = view.state.borrow_mut();
        let products = &mut state.products;
        products.query = query;
        products.layout = layout;
        products.infinite = infinite;
        products.controls = controls;
        products.total = total;
        products.items = page.map(|page| page.items).unwrap_or_default();
        products.filters = JsValue::NULL;
        products.filter_count = 0;
        products.filters_form = None;
        products.categories = categories;
        products.notice = None;
        products.loading = false;
    }
    if search {
        fetch(view, 0, false);
    } else {
        view.render();
        loaded(view, total);
    }
    Ok(())
}

fn loaded(view: &View, total: u64) {
    let state = view.state.borrow();
    let products = &state.products;
    let detail = dom::object(&[
        ("total", JsValue::from_f64(total as f64)),
        ("count", products.items.len().into()),
        (
            "offset",
            JsValue::from_f64(products.query.offset.unwrap_or(0) as f64),
        ),
    ]);
    dom::dispatch(&view.host, "colmena:products-loaded", &detail);
}

/// Loads the page at `offset` (appended, for infinite scroll, or replacing the current one).
fn fetch(view: &ViewRef, offset: u64, append_page: bool) {
    let Some(shop) = view.shop() else { return };
    let (query, filters, search, request) = {
        let mut state = view.state.borrow_mut();
        let products = &mut state.products;
        // No offset for the first page: its URL is then the one the loader may have fetched.
        products.query.offset = (offset > 0).then_some(offset);
        products.loading = true;
        products.request += 1;
        (
            products.query.clone(),
            products.filters.clone(),
            products.searching(),
            products.request,
        )
    };
    let search = search.then(|| search_options(view, &shop, &query, &filters));
    view.render();
    let view = view.clone();
    crate::dom::spawn(async move {
        // A failure: whether it may pass, and the error for `colmena:error`.
        let result = match search {
            Some(options) => search_page(options).await.map_err(|e| (transient(&e), e)),
            None => match shop.client.list_products(&query).await {
                Ok(page) => Ok(Found {
                    items: page.items,
                    total: page.pagination.total,
                    filter_count: 0,
                    form: None,
                }),
                Err(e) => Err((e.is_transient(), colmena_wasm::to_js_error(&e))),
            },
        };
        if view.state.borrow().products.request != request {
            return;
        }
        let total = {
            let mut state = view.state.borrow_mut();
            let strings = crate::i18n::strings(&state.locale);
            let products = &mut state.products;
            products.loading = false;
            match result {
                Ok(page) => {
                    products.total = page.total;
                    if !append_page {
                        products.items.clear();
                    }
                    products.items.extend(page.items);
                    products.filter_count = page.filter_count;
                    products.filters_form = page.form;
                    products.notice = None;
                    Ok(page.total)
                }
                Err((transient, error)) => {
                    let message = if transient {
                        strings.unreachable
                    } else {
                        strings.load_failed
                    };
                    products.notice = Some((true, message.to_owned()));
                    Err(error)
                }
            }
        };
        view.render();
        match total {
            Ok(total) => loaded(&view, total),
            Err(error) => dom::dispatch(&view.host, "colmena:error", &error),
        }
    });
}

pub fn render(view: &ViewRef) -> Element {
    stop_observing(view);
    let strings = view.strings();
    let state = view.state.borrow();
    if let Some(error) = &state.failure {
        return views::failure(view, error);
    }
    let Some(store) = state.store.as_ref() else {
        return views::loading(view.strings().loading);
    };
    let products = &state.products;
    let root = el("div", "catalog");
    if products.controls {
        append(&root, &toolbar(view, &state));
        if products.filters_open {
            // The search bundle's form, or a line until its first search answers.
            let panel = products.filters_form.clone().unwrap_or_else(|| {
                let line = views::loading(strings.loading);
                set(&line, "id", "colmena-filters");
                line
            });
            append(&root, &panel);
        }
    }
    let filtered = products.filter_count > 0;
    if (filtered || products.query.q.is_some()) && !products.loading {
        let results = text(
            "p",
            "results",
            &fill(strings.results, &products.total.to_string(), "", ""),
        );
        set(&results, "role", "status");
        append(&root, &results);
    }
    let list = el("div", &format!("products {}", products.layout));
    set(&list, "role", "list");
    set(
        &list,
        "aria-label",
        &fill(strings.products, "", "", &store.name),
    );
    if products.loading {
        set(&list, "aria-busy", "true");
    }
    for (index, item) in products.items.iter().enumerate() {
        append(&list, &card(view, item, index, &state.locale));
    }
    let carousel = products.layout == "carousel";
    if products.items.is_empty() && !products.loading {
        append(&root, &dom::notice(strings.no_products, false));
        if filtered {
            append(
                &root,
                &button(
                    "secondary",
                    strings.clear_filters,
                    "clear-filters",
                    "clear-filters-empty",
                ),
            );
        }
    } else {
        if carousel {
            // Buttons for those who do not scroll sideways (mouse without a wheel, keyboard).
            let controls = el("div", "scroller");
            let back = button("secondary", "\u{2039}", "scroll-back", "scroll-back");
            set(&back, "aria-label", strings.previous);
            let forward = button("secondary", "\u{203a}", "scroll-forward", "scroll-forward");
            set(&forward, "aria-label", strings.next);
            append(&controls, &back);
            append(&controls, &forward);
            append(&root, &controls);
        }
        append(&root, &list);
    }
    let limit = u64::from(products.query.limit.unwrap_or(DEFAULT_LIMIT));
    let offset = products.query.offset.unwrap_or(0);
    if products.infinite {
        if (products.items.len() as u64) < products.total {
            let more = button("secondary more", strings.load_more, "more", "more");
            if products.loading {
                set(&more, "disabled", "");
            }
            append(&root, &more);
        }
    } else if products.total > limit {
        let pages = products.total.div_ceil(limit);
        let page = offset / limit + 1;
        let nav = el("nav", "pager");
        set(
            &nav,
            "aria-label",
            &fill(strings.page_of, &page.to_string(), &pages.to_string(), ""),
        );
        let previous = button("secondary", strings.previous, "previous", "previous");
        if page <= 1 || products.loading {
            set(&previous, "disabled", "");
        }
        let next = button("secondary", strings.next, "next", "next");
        if page >= pages || products.loading {
            set(&next, "disabled", "");
        }
        append(&nav, &previous);
        append(
            &nav,
            &text(
                "span",
                "page",
                &fill(strings.page_of, &page.to_string(), &pages.to_string(), ""),
            ),
        );
        append(&nav, &next);
        append(&root, &nav);
    }
    if let Some((alert, message)) = &products.notice {
        append(&root, &dom::notice(message, *alert));
    }
    if products.open {
        append(&root, &dialog(view, strings.close));
    }
    let infinite = products.infinite && (products.items.len() as u64) < products.total;
    drop(state);
    if infinite {
        observe_more(view, &root);
    }
    root
}

fn toolbar(view: &View, state: &views::State) -> Element {
    let strings = view.strings();
    let query = &state.products.query;
    let form = el("form", "toolbar");
    set(&form, "role", "search");
    set(&form, "data-action", "search");
    let search = el("input", "search");
    set(&search, "type", "search");
    set(&search, "name", "q");
    set(&search, "data-key", "q");
    set(&search, "value", query.q.as_deref().unwrap_or(""));
    append(&form, &dom::labelled(strings.search, &search));
    let category = el("select", "category");
    set(&category, "data-action", "category");
    set(&category, "data-key", "category");
    let mut options = vec![(String::new(), strings.all_categories.to_owned())];
    options.extend(
        state
            .products
            .categories
            .iter()
            .map(|c| (c.slug.clone(), c.name.clone())),
    );
    fill_select(&category, &options, query.category.as_deref().unwrap_or(""));
    append(&form, &dom::labelled(strings.category, &category));
    let sort = el("select", "sort");
    set(&sort, "data-action", "sort");
    set(&sort, "data-key", "sort");
    // Every order the API has, each sent explicitly; no sort means the API's default: by
    // relevance with search text ("Best match", offered only then), else newest.
    let relevance = query.q.is_some();
    let mut sorts = Vec::new();
    if relevance {
        sorts.push((String::new(), strings.sort_relevance.to_owned()));
    }
    sorts.extend(
        [
            (ProductSort::Newest, strings.sort_newest),
            (ProductSort::Name, strings.sort_name),
            (ProductSort::Price, strings.sort_price),
            (ProductSort::PriceDesc, strings.sort_price_desc),
        ]
        .map(|(order, label)| (order.as_str().to_owned(), label.to_owned())),
    );
    let selected = match query.sort {
        None if relevance => "",
        sort => sort.unwrap_or_default().as_str(),
    };
    fill_select(&sort, &sorts, selected);
    append(&form, &dom::labelled(strings.sort, &sort));
    let submit = text("button", "secondary", strings.search);
    set(&submit, "type", "submit");
    set(&submit, "data-key", "submit");
    append(&form, &submit);
    // Shows or hides the filters; its badge counts those that apply.
    let products = &state.products;
    let toggle = button("secondary toggle", strings.filters, "filters", "filters");
    set(
        &toggle,
        "aria-expanded",
        if products.filters_open {
            "true"
        } else {
            "false"
        },
    );
    set(&toggle, "aria-controls", "colmena-filters");
    if products.filter_count > 0 {
        append(
            &toggle,
            &text("span", "badge", &products.filter_count.to_string()),
        );
    }
    append(&form, &toggle);
    form
}

fn fill_select(select: &Element, options: &[(String, String)], selected: &str) {
    for (value, label) in options {
        let option = text("option", "", label);
        set(&option, "value", value);
        if value == selected {
            set(&option, "selected", "");
        }
        append(select, &option);
    }
}

fn card(view: &View, product: &Product, index: usize, locale: &str) -> Element {
    let strings = view.strings();
    let card = el("article", "card");
    set(&card, "role", "listitem");
    set(&card, "data-product-id", &product.id.to_string());
    set(&card, "data-product-slug", &product.slug);
    let media = el("div", "media");
    if let Some(image) = product.images.first() {
        let img = el("img", "image");
        set(&img, "src", &image.url);
        set(&img, "alt", &image.alt);
        set(&img, "loading", "lazy");
        set(&img, "decoding", "async");
        set(&img, "width", "400");
        set(&img, "height", "300");
        append(&media, &img);
    }
    append(&card, &media);
    let name = el("h3", "name");
    let open = button("link", &product.name, "open", &format!("open-{index}"));
    set(&open, "data-index", &index.to_string());
    set(&open, "aria-haspopup", "dialog");
    append(&name, &open);
    append(&card, &name);
    append(
        &card,
        &product::price_line(&product.price, product.compare_at_price.as_ref(), locale),
    );
    let in_stock = product.variants.iter().any(|v| v.in_stock);
    if !in_stock {
        append(&card, &text("p", "stock out", strings.out_of_stock));
    } else if product.variants.len() == 1 {
        let add = button(
            "add",
            strings.add_to_cart,
            "quick-add",
            &format!("add-{index}"),
        );
        set(&add, "data-index", &index.to_string());
        set(
            &add,
            "aria-label",
            &format!("{}: {}", strings.add_to_cart, product.name),
        );
        append(&card, &add);
    }
    card
}

fn dialog(view: &View, close_label: &str) -> Element {
    let layer = el("div", "layer");
    let backdrop = el("div", "backdrop");
    set(&backdrop, "data-action", "close");
    append(&layer, &backdrop);
    let dialog = el("div", "dialog");
    set(&dialog, "role", "dialog");
    set(&dialog, "aria-modal", "true");
    set(&dialog, "aria-labelledby", "colmena-detail-title");
    let close = button("close", "\u{d7}", "close", "close");
    set(&close, "aria-label", close_label);
    append(&dialog, &close);
    append(&dialog, &product::detail(view, "colmena-detail-title"));
    append(&layer, &dialog);
    layer
}

pub fn on_action(view: &ViewRef, action: &str, target: &Element) {
    let index = target
        .get_attribute("data-index")
        .and_then(|i| i.parse::<usize>().ok());
    let item =
        |view: &ViewRef| index.and_then(|i| view.state.borrow().products.items.get(i).cloned());
    let (limit, offset, count) = {
        let state = view.state.borrow();
        let p = &state.products;
        (
            u64::from(p.query.limit.unwrap_or(DEFAULT_LIMIT)),
            p.query.offset.unwrap_or(0),
            p.items.len() as u64,
        )
    };
    match action {
        "search" => {
            let q = target
                .query_selector("[name=q]")
                .ok()
                .flatten()
                .map(|input| dom::value_of(&input).trim().to_owned())
                .filter(|q| !q.is_empty());
            view.state.borrow_mut().products.query.q = q;
            fetch(view, 0, false);
        }
        "category" => {
            let value = dom::value_of(target);
            view.state.borrow_mut().products.query.category = (!value.is_empty()).then_some(value);
            fetch(view, 0, false);
        }
        "sort" => {
            let value = dom::value_of(target);
            view.state.borrow_mut().products.query.sort =
                ProductListQuery::from_query_pairs(&[("sort", value.as_str())])
                    .ok()
                    .and_then(|q| q.sort);
            fetch(view, 0, false);
        }
        "filters" => {
            let search = {
                let mut state = view.state.borrow_mut();
                let products = &mut state.products;
                products.filters_open = !products.filters_open;
                products.filters_open && products.filters_form.is_none()
            };
            if search {
                fetch(view, offset, false);
            } else {
                view.render();
            }
        }
        "clear-filters" => {
            on_search_event(view, &JsValue::NULL);
            // The button beside "no products" is gone: focus goes to the filters' toggle.
            dom::focus_key(&view.root(), "filters");
        }
        "previous" => fetch(view, offset.saturating_sub(limit), false),
        "next" => fetch(view, offset + limit, false),
        "more" => {
            if !view.state.borrow().products.loading {
                fetch(view, count, true);
            }
        }
        "scroll-back" | "scroll-forward" => {
            if let Ok(Some(list)) = view.root().query_selector(".products") {
                let step = list.client_width();
                let step = if action == "scroll-back" { -step } else { step };
                list.set_scroll_left(list.scroll_left() + step);
            }
        }
        "open" => {
            let Some(product) = item(view) else { return };
            product::select(view, product);
            {
                let mut state = view.state.borrow_mut();
                state.products.open = true;
                state.products.opener = format!("open-{}", index.unwrap_or(0));
            }
            view.render();
            dom::focus_key(&view.root(), "close");
        }
        "close" => close(view),
        "quick-add" => {
            if let Some(product) = item(view) {
                product::add_to_cart(view, product, None, 1, false);
            }
        }
        _ => product::on_action(view, action, target),
    }
}

/// The shopper changed the filters in the search bundle's form (`detail`: their query pairs
/// and count; null clears them): the first page with them.
pub fn on_search_event(view: &ViewRef, detail: &JsValue) {
    {
        let member = |name: &str| Reflect::get(detail, &name.into()).unwrap_or_default();
        let mut state = view.state.borrow_mut();
        let products = &mut state.products;
        products.filters = member("filters");
        products.filter_count = member("count").as_f64().unwrap_or(0.0) as u32;
    }
    fetch(view, 0, false);
}

fn close(view: &ViewRef) {
    let opener = {
        let mut state = view.state.borrow_mut();
        state.products.open = false;
        std::mem::take(&mut state.products.opener)
    };
    view.render();
    dom::focus_key(&view.root(), &opener);
}

/// Escape closes the detail dialog; Tab stays inside it while it is open.
pub fn on_key(view: &ViewRef, event: &KeyboardEvent) {
    if !view.state.borrow().products.open {
        return;
    }
    match event.key().as_str() {
        "Escape" => close(view),
        "Tab" => {
            let root = view.root();
            if let Ok(Some(dialog)) = root.query_selector(".dialog") {
                dom::trap_tab(&dialog, &root, event);
            }
        }
        _ => {}
    }
}

/// Infinite scroll: the next page loads when the "load more" button comes near the viewport,
/// or in a carousel when its last card comes near the scroller's right edge (the button stays
/// for keyboard users and browsers without IntersectionObserver).
fn observe_more(view: &ViewRef, root: &Element) {
    let scroller = root.query_selector(".products.carousel").ok().flatten();
    let target = match &scroller {
        Some(scroller) => scroller.last_element_child(),
        None => root.query_selector(".more").ok().flatten(),
    };
    let Some(more) = target else {
        return;
    };
    let owner = view.clone();
    let callback = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
        let near = entries.iter().any(|entry| {
            entry
                .dyn_into::<IntersectionObserverEntry>()
                .is_ok_and(|e| e.is_intersecting())
        });
        let (loading, count) = {
            let state = owner.state.borrow();
            (state.products.loading, state.products.items.len() as u64)
        };
        if near && !loading {
            fetch(&owner, count, true);
        }
    })
    .into_js_value();
    let init = web_sys::IntersectionObserverInit::new();
    match &scroller {
        Some(scroller) => {
            init.set_root(Some(scroller));
            init.set_root_margin("0px 300px 0px 0px");
        }
        None => init.set_root_margin("300px"),
    }
    if let Ok(observer) = IntersectionObserver::new_with_options(callback.unchecked_ref(), &init) {
        observer.observe(&more);
        view.state.borrow_mut().products.observer = Some((observer, callback));
    }
}

pub fn stop_observing(view: &View) {
    if let Ok(mut state) = view.state.try_borrow_mut() {
        if let Some((observer, _callback)) = state.products.observer.take() {
            observer.disconnect();
        }
    }
}
