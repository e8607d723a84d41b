//! `ColmenaWidget`: the programmatic way to embed the storefront (seed 004's widget lifecycle),
//! for sites that would rather call a constructor than write the custom elements themselves.

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::dom::{self, set};
use crate::shop::shop;
use crate::views;

/// A validated `WidgetConfig`.
struct Config {
    /// The object it was read from, so that `update` can merge into it.
    source: Object,
    store: String,
    container: Element,
    layout: String,
    theme: String,
    custom_styles: Vec<(String, String)>,
    api: Option<String>,
    /// The UI language for both elements (else the store's).
    locale: Option<String>,
    /// Optional listing filters and options, passed to `<colmena-products>`.
    filters: Vec<(&'static str, String)>,
}

fn invalid(message: String) -> JsValue {
    colmena_wasm::invalid_argument(format!("ColmenaWidget: {message}"))
}

fn field(source: &Object, name: &str) -> Option<JsValue> {
    Reflect::get(source, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn string_field(source: &Object, name: &str) -> Result<Option<String>, JsValue> {
    field(source, name)
        .map(|value| {
            // Whole numbers only (limits): formatting any float would link float printing.
            #[allow(clippy::cast_possible_truncation)]
            let whole = value
                .as_f64()
                .filter(|n| n.fract() == 0.0 && n.abs() < 1e15)
                .map(|n| (n as i64).to_string());
            value
                .as_string()
                .or(whole)
                .or_else(|| value.as_bool().map(|b| b.to_string()))
                .ok_or_else(|| invalid(format!("{name} must be a string")))
        })
        .transpose()
}

fn one_of(source: &Object, name: &str, allowed: &[&str]) -> Result<String, JsValue> {
    let value = string_field(source, name)?.unwrap_or_else(|| allowed[0].to_owned());
    if allowed.contains(&value.as_str()) {
        Ok(value)
    } else {
        Err(invalid(format!(
            "{name} \u{201c}{value}\u{201d} is not one of {}",
            allowed.join(", ")
        )))
    }
}

impl Config {
    fn read(source: Object) -> Result<Self, JsValue> {
        let store = string_field(&source, "store")?
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| invalid("store is required".to_owned()))?;
        let container = match field(&source, "container") {
            Some(value) if value.is_string() => {
                let selector = value.as_string().unwrap_or_default();
                dom::document()
                    .query_selector(&selector)
                    .ok()
                    .flatten()
                    .ok_or_else(|| invalid(format!("no element matches {selector}")))?
            }
            Some(value) => value
                .dyn_into::<Element>()
                .map_err(|_| invalid("container must be a selector or an element".to_owned()))?,
            None => return Err(invalid("container is required".to_owned())),
        };
        let layout = one_of(&source, "layout", &["grid", "list", "carousel"])?;
        let theme = one_of(&source, "theme", &["light", "dark", "auto", "custom"])?;
        let mut custom_styles = Vec::new();
        if let Some(styles) = field(&source, "customStyles") {
            let styles: Object = styles
                .dyn_into()
                .map_err(|_| invalid("customStyles must be an object".to_owned()))?;
            for entry in Object::entries(&styles).iter() {
                let pair: js_sys::Array = entry.unchecked_into();
                let name = pair.get(0).as_string().unwrap_or_default();
                // Only the widget's documented custom properties: the host page's own styles
                // are never touched.
                if !name.starts_with("--colmena-") {
                    return Err(invalid(format!(
                        "customStyles accepts --colmena-* properties, not {name}"
                    )));
                }
                let value = pair
                    .get(1)
                    .as_string()
                    .ok_or_else(|| invalid(format!("customStyles {name} must be a string")))?;
                custom_styles.push((name, value));
            }
        }
        let api = string_field(&source, "apiEndpoint")?;
        if let Some(version) = string_field(&source, "version")? {
            // The loader and the wasm ship together; a config written for another major
            // version is refused rather than half-working.
            let major = env!("CARGO_PKG_VERSION").split('.').next().unwrap_or("0");
            if version.split('.').next() != Some(major) {
                return Err(invalid(format!(
                    "version {version} is not supported by this widget ({})",
                    env!("CARGO_PKG_VERSION")
                )));
            }
        }
        let locale = string_field(&source, "locale")?;
        let mut filters = Vec::new();
        for name in [
            "category",
            "featured",
            "limit",
            "sort",
            "search",
            "pagination",
            "controls",
        ] {
            if let Some(value) = string_field(&source, name)? {
                filters.push((name, value));
            }
        }
        Ok(Self {
            source,
            store,
            container,
            layout,
            theme,
            custom_styles,
            api,
            locale,
            filters,
        })
    }
}

/// The storefront as an object: `new ColmenaWidget({store, container, layout, theme,
/// customStyles, apiEndpoint, version, locale, category, featured, limit, sort, search,
/// pagination, controls})`, then `init()`, `render()`, `update(partial)`,
/// `destroy()`.
#[wasm_bindgen]
pub struct ColmenaWidget {
    config: Config,
    elements: Vec<HtmlElement>,
}

#[wasm_bindgen]
impl ColmenaWidget {
    /// Validates `config`; throws an `InvalidRequestError` naming the wrong field.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<ColmenaWidget, JsValue> {
        let source: Object = config
            .dyn_into()
            .map_err(|_| invalid("the config must be an object".to_owned()))?;
        Ok(Self {
            config: Config::read(source)?,
            elements: Vec::new(),
        })
    }

    /// Loads the store's profile: rejects (with `NotFoundError`, `NetworkError`, …) when the
    /// store does not exist or the API cannot be reached.
    pub fn init(&self) -> Promise {
        let api = self.api();
        let store = self.config.store.clone();
        let locale = self.config.locale.clone();
        crate::dom::promise(async move {
            let shop =
                shop(&api, &store, locale.as_deref()).map_err(|e| colmena_wasm::to_js_error(&e))?;
            shop.store()
                .await
                .map_err(|e| colmena_wasm::to_js_error(&e))?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Puts a product list and a cart into the container (replacing an earlier render).
    pub fn render(&mut self) {
        self.destroy();
        let config = &self.config;
        let api = self.api();
        for tag in ["colmena-products", "colmena-cart"] {
            let Ok(element) = dom::document().create_element(tag) else {
                continue;
            };
            set(&element, "store", &config.store);
            set(&element, "api", &api);
            set(&element, "theme", &config.theme);
            if let Some(locale) = &config.locale {
                set(&element, "locale", locale);
            }
            if tag == "colmena-products" {
                set(&element, "layout", &config.layout);
                for (name, value) in &config.filters {
                    set(&element, name, value);
                }
            }
            let element: HtmlElement = element.unchecked_into();
            for (name, value) in &config.custom_styles {
                let _ = element.style().set_property(name, value);
            }
            let _ = config.container.append_child(&element);
            self.elements.push(element);
        }
    }

    /// Removes what `render` added.
    pub fn destroy(&mut self) {
        for element in self.elements.drain(..) {
            element.remove();
        }
    }

    /// Changes some config fields (validated like the constructor's) and renders again if the
    /// widget is on the page.
    pub fn update(&mut self, partial: JsValue) -> Result<(), JsValue> {
        let merged = Object::assign(&Object::new(), &self.config.source);
        let partial: Object = partial
            .dyn_into()
            .map_err(|_| invalid("update takes an object".to_owned()))?;
        self.config = Config::read(Object::assign(&merged, &partial))?;
        if !self.elements.is_empty() {
            self.render();
        }
        Ok(())
    }
}

impl ColmenaWidget {
    fn api(&self) -> String {
        self.config.api.clone().unwrap_or_else(views::default_api)
    }
}
