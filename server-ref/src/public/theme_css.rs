//! `GET …/storefront/theme.css`: a store's storefront theme as CSS for the widget.
//!
//! The widget's elements render in shadow roots styled through custom properties
//! (`--colmena-brand`, `--colmena-page`, …; defaults in `widget/src/widget.css`). The loader
//! adopts this sheet after the widget's own, so its `:host` rules override those defaults, and the
//! host page's `--colmena-*` properties on an element still override both (the outer page's rules
//! beat `:host` rules). Everything here is computed on the server, so the themes cost the
//! widget's download nothing.
//!
//! - Brand, accent, font and radius are the theme's in every scheme; the text on brand-coloured
//!   buttons is white or near-black, whichever contrasts more with the brand.
//! - The theme's background and text hold in the scheme they suit: light colours in the light
//!   scheme, dark colours in the dark one; the greys (secondary text, lines, card surfaces) are
//!   mixed from them. A scheme the colours do not suit uses the widget's own palette for it.
//! - The theme's mode picks the scheme: `light`, `dark`, or the shopper's system setting
//!   (`auto`). An element's `theme` attribute can still ask for the dark scheme (`dark`, or
//!   `auto` on a dark system) where the store's is light.
//! - The elements other than the cart and checkout buttons stand on the theme's background.
//! - A store that never published has its branding colours only, the look the widget had before
//!   storefront themes, so that a page changes only when its store publishes.
//!
//! In the dark scheme prices and download links take the accent colour: most brand colours are
//! too dark to read as text on a dark background.

use std::fmt::Write;

use colmena_sdk::contract::{is_hex_colour, Branding, Theme, ThemeMode, MAX_RADIUS};

/// The widget's own dark palette (its light one is widget.css's defaults).
const BUILT_IN_DARK: Palette<&str> = Palette {
    page: "#111827",
    surface: "#1f2937",
    text: "#f3f4f6",
    muted: "#d1d5db",
    line: "#4b5563",
    danger: "#fecaca",
};

/// Text on brand-coloured buttons: the one of these that contrasts more with the brand.
const ON_BRAND: [&str; 2] = ["#ffffff", "#111827"];

/// The colours that differ between the light and the dark scheme.
struct Palette<S> {
    page: S,
    surface: S,
    text: S,
    muted: S,
    line: S,
    danger: S,
}

impl<S: AsRef<str>> Palette<S> {
    /// The palette's custom properties, each ending in `;`.
    fn declarations(&self, dark: bool) -> String {
        let mut css = String::new();
        for (name, value) in [
            ("page", &self.page),
            ("surface", &self.surface),
            ("text", &self.text),
            ("muted", &self.muted),
            ("line", &self.line),
            ("danger", &self.danger),
        ] {
            let _ = write!(css, "--colmena-{name}:{};", value.as_ref());
        }
        if dark {
            // Native controls and scrollbars follow.
            css.push_str("color-scheme:dark;");
        }
        css
    }
}

/// The stylesheet for `theme` (the live or previewed document's), or for a store that never
/// published, its `branding` colours only.
pub fn render(theme: Option<&Theme>, branding: &Branding) -> String {
    let mut css = String::from(
        "/* Colmena storefront theme: the widget's custom properties (see the widget's README) */\n",
    );
    let (brand, accent) = match theme {
        Some(theme) => (&theme.colors.primary, &theme.colors.accent),
        None => (&branding.primary_color, &branding.accent_color),
    };
    let mut base = String::new();
    for (name, colour) in [("brand", brand), ("accent", accent)] {
        if is_hex_colour(colour) {
            let _ = write!(base, "--colmena-{name}:{};", colour.to_ascii_lowercase());
        }
    }
    if let Some(brand) = rgb(brand) {
        let on_brand = if contrast(brand, rgb(ON_BRAND[0]).unwrap_or_default())
            >= contrast(brand, rgb(ON_BRAND[1]).unwrap_or_default())
        {
            ON_BRAND[0]
        } else {
            ON_BRAND[1]
        };
        let _ = write!(base, "--colmena-on-brand:{on_brand};");
    }
    let Some(theme) = theme else {
        let _ = writeln!(css, ":host{{{base}}}");
        write_dark_overrides(&mut css, &BUILT_IN_DARK.declarations(true), true);
        return css;
    };
    let _ = write!(
        base,
        "--colmena-font:{};--colmena-radius:{}px;",
        theme.font.css(),
        theme.radius.min(MAX_RADIUS)
    );
    let own = own_palette(theme);
    let light = match &own {
        Some((palette, false)) => palette.declarations(false),
        _ => String::new(),
    };
    let dark = match &own {
        Some((palette, true)) => palette.declarations(true),
        _ => BUILT_IN_DARK.declarations(true),
    };
    match theme.mode {
        ThemeMode::Light => {
            let _ = writeln!(css, ":host{{{base}{light}}}");
            write_dark_overrides(&mut css, &dark, true);
        }
        ThemeMode::Auto => {
            let _ = writeln!(css, ":host{{{base}{light}}}");
            write_dark_overrides(&mut css, &dark, false);
        }
        ThemeMode::Dark => {
            let _ = writeln!(css, ":host{{{base}{dark}}}");
            write_dark_rules(&mut css, ":host");
        }
    }
    // The theme's background is the storefront's: the catalog, the product and the banners
    // stand on it (the cart's and checkout's buttons sit in the page's header as they are).
    let _ = writeln!(
        css,
        ":host(:not(colmena-cart):not(colmena-checkout-button)){{background:var(--colmena-page)}}"
    );
    css
}

/// Where a light store turns dark: an element's `theme="dark"`, and on a dark system its
/// `theme="auto"` (`only_asked`), or every element (the theme's `auto` mode).
fn write_dark_overrides(css: &mut String, dark: &str, only_asked: bool) {
    let asked = ":host([theme=\"dark\"])";
    let _ = writeln!(css, "{asked}{{{dark}}}");
    write_dark_rules(css, asked);
    let on_dark_system = if only_asked {
        ":host([theme=\"auto\"])"
    } else {
        ":host"
    };
    let _ = write!(
        css,
        "@media (prefers-color-scheme:dark){{\n{on_dark_system}{{{dark}}}\n"
    );
    write_dark_rules(css, on_dark_system);
    css.push_str("}\n");
}

/// The dark scheme's rules beyond its palette, under the host selector `host`.
fn write_dark_rules(css: &mut String, host: &str) {
    let _ = writeln!(
        css,
        "{host} .amount,{host} .stock.low,{host} .downloads a{{color:var(--colmena-accent)}}\n\
         {host} .error{{background:#450a0a}}"
    );
}

/// The palette of the theme's own background and text, and whether it is a dark one (lighter
/// text on a darker background); `None` if a colour is not `#rrggbb` (a document from before
/// validation).
fn own_palette(theme: &Theme) -> Option<(Palette<String>, bool)> {
    let background = rgb(&theme.colors.background)?;
    let text = rgb(&theme.colors.text)?;
    let dark = luminance(background) < luminance(text);
    let palette = Palette {
        page: hex(background),
        // Cards stand a little off the page: toward the text on a dark page, toward white on a
        // light one.
        surface: hex(if dark {
            mix(text, background, 8)
        } else {
            mix([255; 3], background, 60)
        }),
        text: hex(text),
        muted: hex(mix(text, background, 75)),
        line: hex(mix(text, background, 30)),
        danger: if dark {
            BUILT_IN_DARK.danger
        } else {
            "#991b1b"
        }
        .to_owned(),
    };
    Some((palette, dark))
}

/// The red, green and blue of `#rrggbb`.
fn rgb(colour: &str) -> Option<[u8; 3]> {
    if !is_hex_colour(colour) {
        return None;
    }
    let channel = |at: usize| u8::from_str_radix(&colour[at..at + 2], 16).ok();
    Some([channel(1)?, channel(3)?, channel(5)?])
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// `percent` % of `a` and the rest of `b`, channel by channel.
fn mix(a: [u8; 3], b: [u8; 3], percent: u16) -> [u8; 3] {
    let channel = |i: usize| {
        let value = (u16::from(a[i]) * percent + u16::from(b[i]) * (100 - percent) + 50) / 100;
        u8::try_from(value).unwrap_or(u8::MAX)
    };
    [channel(0), channel(1), channel(2)]
}

/// WCAG 2's relative luminance, 0 (black) to 1 (white).
fn luminance(colour: [u8; 3]) -> f64 {
    let linear = |channel: u8| {
        let value = f64::from(channel) / 255.0;
        if value <= 0.039_28 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(colour[0]) + 0.7152 * linear(colour[1]) + 0.0722 * linear(colour[2])
}

/// WCAG 2's contrast ratio of two colours, 1 to 21.
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;
    use colmena_sdk::contract::{FontStack, ThemeColors};

    fn theme(mode: ThemeMode, background: &str, text: &str) -> Theme {
        Theme {
            mode,
            colors: ThemeColors {
                primary: "#0F766E".into(),
                accent: "#f59e0b".into(),
                background: background.into(),
                text: text.into(),
            },
            font: FontStack::Serif,
            radius: 4,
        }
    }

    fn branding(primary: &str) -> Branding {
        Branding {
            primary_color: primary.into(),
            accent_color: "#fbbf24".into(),
            logo_url: None,
        }
    }

    #[test]
    fn a_store_that_never_published_keeps_its_branding_colours() {
        let css = render(None, &branding("#b45309"));
        assert!(!css.contains("background:var"), "{css}");
        let host = css.lines().nth(1).unwrap();
        assert_eq!(
            host,
            ":host{--colmena-brand:#b45309;--colmena-accent:#fbbf24;--colmena-on-brand:#ffffff;}"
        );
        // The element's own dark theme still works.
        assert!(css.contains(":host([theme=\"dark\"]){--colmena-page:#111827;"));
        assert!(css.contains(":host([theme=\"auto\"]){--colmena-page:#111827;"));
        // A colour that is not #rrggbb is left out rather than written into CSS.
        let css = render(None, &branding("red;}body{display:none"));
        assert!(!css.contains("red"), "{css}");
        assert!(!css.contains("--colmena-brand"), "{css}");
    }

    #[test]
    fn a_light_theme_sets_its_palette_font_and_radius() {
        let css = render(
            Some(&theme(ThemeMode::Light, "#fffbeb", "#1c1917")),
            &branding("#000000"),
        );
        let host = css.lines().nth(1).unwrap();
        for part in [
            "--colmena-brand:#0f766e;",
            "--colmena-accent:#f59e0b;",
            "--colmena-on-brand:#ffffff;",
            "--colmena-font:Charter,",
            "--colmena-radius:4px;",
            "--colmena-page:#fffbeb;",
            "--colmena-surface:#fffdf7;",
            "--colmena-text:#1c1917;",
            "--colmena-muted:#55524c;",
            "--colmena-line:#bbb7ab;",
            "--colmena-danger:#991b1b;",
        ] {
            assert!(host.contains(part), "{part} in {host}");
        }
        assert!(!host.contains("color-scheme"));
        assert!(css.contains(
            ":host(:not(colmena-cart):not(colmena-checkout-button)){background:var(--colmena-page)}"
        ));
        // Asked for by the element, the dark scheme is the widget's.
        assert!(css.contains(":host([theme=\"dark\"]){--colmena-page:#111827;"));
    }

    #[test]
    fn a_dark_theme_is_dark_for_every_element() {
        let css = render(
            Some(&theme(ThemeMode::Dark, "#0b1120", "#f8fafc")),
            &branding("#000000"),
        );
        let host = css.lines().nth(1).unwrap();
        assert!(host.contains("--colmena-page:#0b1120;"), "{host}");
        assert!(host.contains("--colmena-text:#f8fafc;"), "{host}");
        assert!(host.contains("--colmena-danger:#fecaca;"), "{host}");
        assert!(host.contains("color-scheme:dark;"), "{host}");
        assert!(css.contains(":host .error{background:#450a0a}"));
        assert!(!css.contains("theme=\"dark\""), "{css}");
        // Dark mode with the light default colours: the widget's dark palette, the theme's brand.
        let css = render(
            Some(&theme(ThemeMode::Dark, "#ffffff", "#1f2937")),
            &branding("#000000"),
        );
        let host = css.lines().nth(1).unwrap();
        assert!(host.contains("--colmena-page:#111827;"), "{host}");
        assert!(host.contains("--colmena-brand:#0f766e;"), "{host}");
    }

    #[test]
    fn an_auto_theme_follows_the_system() {
        let css = render(
            Some(&theme(ThemeMode::Auto, "#ffffff", "#1f2937")),
            &branding("#000000"),
        );
        assert!(css.contains("@media (prefers-color-scheme:dark){\n:host{--colmena-page:#111827;"));
        assert!(css
            .lines()
            .nth(1)
            .unwrap()
            .contains("--colmena-page:#ffffff;"));
    }

    #[test]
    fn text_on_the_brand_colour_is_the_more_legible_one() {
        let mut light = theme(ThemeMode::Light, "#ffffff", "#000000");
        light.colors.primary = "#fde68a".into();
        assert!(render(Some(&light), &branding("#000000")).contains("--colmena-on-brand:#111827;"));
        assert_eq!(contrast([0; 3], [255; 3]).round(), 21.0);
        assert_eq!(mix([255; 3], [0; 3], 50), [128; 3]);
    }
}
