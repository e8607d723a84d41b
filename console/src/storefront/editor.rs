//! The editor's sections: theme, logo, banners and the announcement bar. Every input edits the
//! draft in memory ([`DraftForm`]); nothing is sent until "Save draft".

use colmena_sdk::contract::{is_hex_colour, FontStack, ThemeMode, MAX_BANNERS, MAX_RADIUS};
use leptos::prelude::*;

use super::draft::{BannerForm, DraftForm, ScheduleForm};
use super::focus_later;
use super::image_drop::ImageDrop;
use super::local_time::time_zone_name;
use crate::field::{field_id, Field};
use crate::{Problem, SharedSession};

const MODES: [(ThemeMode, &str); 3] = [
    (ThemeMode::Light, "Light"),
    (ThemeMode::Dark, "Dark"),
    (ThemeMode::Auto, "Auto (follows the shopper's device)"),
];

const FONTS: [(FontStack, &str); 4] = [
    (FontStack::System, "System"),
    (FontStack::Serif, "Serif"),
    (FontStack::Rounded, "Rounded"),
    (FontStack::Mono, "Monospace"),
];

/// Mode, colours, font and corner radius.
#[component]
pub fn ThemeSection(form: DraftForm, problem: ReadSignal<Option<Problem>>) -> impl IntoView {
    view! {
        <fieldset class="panel">
            <legend>"Theme"</legend>
            <RadioGroup legend="Mode" name="theme-mode" options=&MODES value=form.mode />
            <div class="colours">
                {form.colours.each().into_iter().map(|(label, name, value)| view! {
                    <ColourField label=label parameter=format!("theme.colors.{name}") value=value problem=problem />
                }).collect_view()}
            </div>
            <RadioGroup legend="Font" name="theme-font" options=&FONTS value=form.font
                font_of=FontStack::css />
            <div class="paired radius">
                <input type="range" min="0" max=MAX_RADIUS.to_string() aria-label="Corner radius slider"
                    prop:value=move || form.radius.get()
                    on:input=move |ev| form.radius.set(event_target_value(&ev)) />
                <Field label="Corner radius (px)" parameter="theme.radius" value=form.radius problem=problem kind="number" />
            </div>
        </fieldset>
    }
}

/// A colour: the browser's picker and the `#rrggbb` text, one value.
#[component]
fn ColourField(
    label: &'static str,
    parameter: String,
    value: RwSignal<String>,
    problem: ReadSignal<Option<Problem>>,
) -> impl IntoView {
    // The picker shows black while the text is not yet a colour (it accepts only #rrggbb).
    let picked = move || {
        value.with(|text| {
            let text = text.trim();
            if is_hex_colour(text) {
                text.to_ascii_lowercase()
            } else {
                "#000000".to_owned()
            }
        })
    };
    view! {
        <div class="paired colour">
            <input type="color" aria-label=format!("{label} picker") prop:value=picked
                on:input=move |ev| value.set(event_target_value(&ev)) />
            <Field label=label parameter=parameter value=value problem=problem />
        </div>
    }
}

/// One choice among a few, as radio buttons; `font_of` shows each in its own font.
#[component]
pub fn RadioGroup<T>(
    legend: &'static str,
    name: &'static str,
    options: &'static [(T, &'static str)],
    value: RwSignal<T>,
    #[prop(optional)] font_of: Option<fn(T) -> &'static str>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    view! {
        <fieldset class="choices">
            <legend>{legend}</legend>
            {options.iter().map(|&(option, text)| view! {
                <label class="choice" style=font_of.map(|font| format!("font-family: {}", font(option)))>
                    <input type="radio" name=name prop:checked=move || value.get() == option
                        on:change=move |_| value.set(option) />
                    {text}
                </label>
            }).collect_view()}
        </fieldset>
    }
}

/// The logo and its alternative text.
#[component]
pub fn LogoSection(
    session: SharedSession,
    form: DraftForm,
    problem: ReadSignal<Option<Problem>>,
    set_problem: WriteSignal<Option<Problem>>,
) -> impl IntoView {
    view! {
        <fieldset class="panel">
            <legend>"Logo"</legend>
            <ImageDrop session=session label="Logo image" parameter="logo.url" url=form.logo_url
                problem=problem set_problem=set_problem />
            <Field label="Alternative text (what the logo says, for screen readers)" parameter="logo.alt"
                value=form.logo_alt problem=problem />
        </fieldset>
    }
}

/// The banners in display order: added, edited, moved and removed.
#[component]
pub fn BannersSection(
    session: SharedSession,
    form: DraftForm,
    problem: ReadSignal<Option<Problem>>,
    set_problem: WriteSignal<Option<Problem>>,
) -> impl IntoView {
    let banners = form.banners;
    let full = move || banners.with(|b| b.len() >= MAX_BANNERS);
    let add = move |_| {
        form.add_banner();
        let added = banners.with_untracked(|b| b.len().saturating_sub(1));
        focus_later(field_id(&format!("banners[{added}].title")));
    };
    view! {
        <fieldset class="panel">
            <legend>"Banners"</legend>
            <p class="hint">"Shown in this order. Each banner can have a schedule."</p>
            // Rebuilt whenever banners are added, moved or removed: every input's API name
            // (`banners[1].linkUrl`) follows the banner's position. The values live in signals,
            // so nothing typed is lost.
            {move || {
                let all = banners.get();
                let count = all.len();
                all.into_iter().enumerate().map(|(index, banner)| view! {
                    <BannerEditor session=session form=form banner=banner index=index count=count
                        problem=problem set_problem=set_problem />
                }).collect_view()
            }}
            <div class="row">
                <button type="button" id="add-banner" prop:disabled=full on:click=add>"Add a banner"</button>
                {move || full().then(|| view! {
                    <span class="hint">{format!("A storefront holds {MAX_BANNERS} banners at most.")}</span>
                })}
            </div>
        </fieldset>
    }
}

/// Where a banner goes when it moves.
#[derive(Clone, Copy)]
enum Move {
    Up,
    Down,
}

/// One banner's inputs and its move and remove buttons.
#[component]
fn BannerEditor(
    session: SharedSession,
    form: DraftForm,
    banner: BannerForm,
    index: usize,
    count: usize,
    problem: ReadSignal<Option<Problem>>,
    set_problem: WriteSignal<Option<Problem>>,
) -> impl IntoView {
    let number = index + 1;
    let field = move |name: &str| format!("banners[{index}].{name}");
    let button_id = move |direction: Move| match direction {
        Move::Up => format!("banner-{}-up", banner.id),
        Move::Down => format!("banner-{}-down", banner.id),
    };
    let move_to = move |direction: Move| {
        let target = match direction {
            Move::Up => index.checked_sub(1),
            Move::Down => Some(index + 1).filter(|next| *next < count),
        };
        let Some(target) = target else { return };
        form.banners.update(|banners| banners.swap(index, target));
        // Keyboard users keep their place: the same button, on the banner's new position,
        // unless it is now disabled there (at the top or the bottom).
        let at_edge = match direction {
            Move::Up => target == 0,
            Move::Down => target + 1 == count,
        };
        let focused = match (direction, at_edge) {
            (Move::Up, false) | (Move::Down, true) => Move::Up,
            (Move::Down, false) | (Move::Up, true) => Move::Down,
        };
        focus_later(button_id(focused));
    };
    let remove = move |_| {
        form.banners.update(|banners| {
            banners.remove(index);
        });
        focus_later("add-banner".to_owned());
    };
    // The legend names the banner by its title too, to tell banners apart at a glance.
    let title = move || {
        banner.title.with(|t| {
            let t = t.trim();
            (!t.is_empty()).then(|| format!(": {t}"))
        })
    };
    view! {
        <fieldset class="banner">
            <legend>{format!("Banner {number}")}<span class="banner-title">{title}</span></legend>
                <div class="actions">
                    <button type="button" id=button_id(Move::Up) prop:disabled=index == 0
                        aria-label=format!("Move up, banner {number}") on:click=move |_| move_to(Move::Up)>"Move up"</button>
                    <button type="button" id=button_id(Move::Down) prop:disabled=number == count
                        aria-label=format!("Move down, banner {number}") on:click=move |_| move_to(Move::Down)>"Move down"</button>
                    <button type="button" class="danger" aria-label=format!("Remove banner {number}")
                        on:click=remove>"Remove"</button>
                </div>
            <ImageDrop session=session label=format!("Banner {number} image") parameter=field("imageUrl")
                url=banner.image_url problem=problem set_problem=set_problem />
            <Field label="Title" parameter=field("title") value=banner.title problem=problem />
            <Field label="Text (optional)" parameter=field("text") value=banner.text problem=problem multiline=true />
            <Field label="Link (optional): https://… or a path such as /sale" parameter=field("linkUrl")
                value=banner.link_url problem=problem />
            <ScheduleFields prefix=format!("banners[{index}]") schedule=banner.schedule problem=problem />
        </fieldset>
    }
}

/// The announcement bar above the storefront.
#[component]
pub fn AnnouncementSection(form: DraftForm, problem: ReadSignal<Option<Problem>>) -> impl IntoView {
    let announcement = form.announcement;
    view! {
        <fieldset class="panel">
            <legend>"Announcement bar"</legend>
            <Field label="Text (empty: no announcement)" parameter="announcement.text"
                value=announcement.text problem=problem />
            <Field label="Link (optional): https://… or a path such as /sale" parameter="announcement.linkUrl"
                value=announcement.link_url problem=problem />
            <ScheduleFields prefix="announcement".to_owned() schedule=announcement.schedule problem=problem />
        </fieldset>
    }
}

/// From when and until when an item shows, in the merchant's time (sent in UTC).
#[component]
fn ScheduleFields(
    /// The item's name in the API, e.g. `banners[0]`.
    prefix: String,
    schedule: ScheduleForm,
    problem: ReadSignal<Option<Problem>>,
) -> impl IntoView {
    let zone = time_zone_name();
    let zone = if zone.is_empty() {
        "your time zone".to_owned()
    } else {
        zone
    };
    view! {
        <div class="schedule">
            <div>
                <Field label="Show from (empty: now)" parameter=format!("{prefix}.startsAt")
                    value=schedule.starts_at.text problem=problem kind="datetime-local" />
            </div>
            <div>
                <Field label="Show until (empty: no end)" parameter=format!("{prefix}.endsAt")
                    value=schedule.ends_at.text problem=problem kind="datetime-local" />
            </div>
            <p class="hint">{format!("Times are in {zone}.")}</p>
        </div>
    }
}
