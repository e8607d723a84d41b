//! A sketch of the storefront beside the editor, redrawn at every keystroke from the draft in
//! memory: the palette, font and corners on an announcement bar, a header, the first banner and
//! two product cards. Preview tokens show the real thing on the merchant's own site.

use colmena_sdk::contract::{is_hex_colour, MAX_RADIUS};
use leptos::prelude::*;

use super::draft::DraftForm;

/// WCAG's minimum contrast for body text (level AA).
const READABLE_CONTRAST: f64 = 4.5;

/// The relative luminance of `#rrggbb` (WCAG 2), or `None` when it is not a colour.
fn luminance(colour: &str) -> Option<f64> {
    if !is_hex_colour(colour) {
        return None;
    }
    let channel = |at: usize| -> Option<f64> {
        let value = f64::from(u8::from_str_radix(colour.get(at..at + 2)?, 16).ok()?) / 255.0;
        Some(if value <= 0.040_45 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(1)? + 0.7152 * channel(3)? + 0.0722 * channel(5)?)
}

/// The contrast ratio of two colours (1 to 21), when both are colours.
fn contrast(one: &str, other: &str) -> Option<f64> {
    let (one, other) = (luminance(one)?, luminance(other)?);
    Some((one.max(other) + 0.05) / (one.min(other) + 0.05))
}

#[component]
pub fn Sketch(form: DraftForm, store_name: RwSignal<String>) -> impl IntoView {
    // Only values that are safe in a style attribute: colours that parse, a number, the
    // contract's own font stacks.
    let colour = |value: RwSignal<String>, fallback: &'static str| {
        value.with(|text| {
            let text = text.trim();
            if is_hex_colour(text) {
                text.to_owned()
            } else {
                fallback.to_owned()
            }
        })
    };
    let colours = form.colours;
    let style = move || {
        let radius = form
            .radius
            .with(|r| r.trim().parse::<u32>().unwrap_or(0))
            .min(MAX_RADIUS);
        format!(
            "--sketch-primary: {}; --sketch-accent: {}; --sketch-background: {}; --sketch-text: {}; --sketch-radius: {radius}px; font-family: {}",
            colour(colours.primary, "#1f2937"),
            colour(colours.accent, "#b45309"),
            colour(colours.background, "#ffffff"),
            colour(colours.text, "#1f2937"),
            form.font.get().css(),
        )
    };
    let announcement = move || {
        form.announcement.text.with(|text| {
            (!text.trim().is_empty())
                .then(|| view! { <div class="sketch-announcement">{text.clone()}</div> })
        })
    };
    let logo = move || {
        form.logo_url.with(|url| {
            (!url.trim().is_empty())
                .then(|| view! { <img class="sketch-logo" src=url.clone() alt="" /> })
        })
    };
    let banner = move || {
        form.banners
            .with(|banners| banners.first().copied())
            .map(|banner| {
                let image = banner.image_url.get();
                view! {
                    <div class="sketch-banner">
                        {(!image.trim().is_empty()).then(|| view! { <img src=image alt="" /> })}
                        <div>
                            <strong>{move || banner.title.get()}</strong>
                            <p>{move || banner.text.get()}</p>
                        </div>
                    </div>
                }
            })
    };
    let readability = move || {
        let ratio = contrast(
            colours
                .text
                .with(|t| t.trim().to_ascii_lowercase())
                .as_str(),
            colours
                .background
                .with(|b| b.trim().to_ascii_lowercase())
                .as_str(),
        )?;
        Some(if ratio >= READABLE_CONTRAST {
            view! { <p class="hint">{format!("Text on the background: contrast {ratio:.1}:1, readable.")}</p> }.into_any()
        } else {
            view! {
                <p class="warning">{format!(
                    "Text on the background: contrast {ratio:.1}:1, hard to read (aim for {READABLE_CONTRAST}:1 or more)."
                )}</p>
            }.into_any()
        })
    };
    view! {
        <aside class="sketch" aria-labelledby="sketch-title">
            <h2 id="sketch-title">"Sketch"</h2>
            <p class="hint">"Follows your edits. Preview shows the saved draft on your own site."</p>
            // A picture, not part of the console: out of the tab order and of the
            // accessibility tree, and its colours are the merchant's to choose.
            <div class="sketch-page" inert=true style=style>
                {announcement}
                <div class="sketch-header">{logo}<span>{move || store_name.get()}</span></div>
                {banner}
                <div class="sketch-cards">
                    {["Wildflower honey", "Beeswax candle"].into_iter().map(|name| view! {
                        <div class="sketch-card">
                            <div class="sketch-image"></div>
                            <span class="sketch-badge">"New"</span>
                            <span>{name}</span>
                            <span class="sketch-button">"Add to cart"</span>
                        </div>
                    }).collect_view()}
                </div>
            </div>
            {readability}
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::contrast;

    #[test]
    fn contrast_follows_wcag() {
        let black_on_white = contrast("#000000", "#ffffff").unwrap_or_default();
        assert!((black_on_white - 21.0).abs() < 0.01);
        let grey = contrast("#777777", "#ffffff").unwrap_or_default();
        assert!((grey - 4.48).abs() < 0.01, "{grey}");
        assert_eq!(contrast("red", "#ffffff"), None);
    }
}
