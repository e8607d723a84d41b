//! The draft as the editor holds it in memory: one signal per input, so that every input and
//! the API's refusal beside it bind to their own value. [`DraftForm::document`] turns it into
//! the contract's `Storefront`, checked by the same rules the server applies.

use colmena_sdk::contract::{
    Announcement, Banner, FontStack, InvalidParameter, Logo, Storefront, Theme, ThemeColors,
    ThemeMode, Timestamp, MAX_RADIUS,
};
use colmena_sdk::Uuid;
use leptos::prelude::*;

use super::local_time::{local_input_value, utc_from_local_input};
use crate::Problem;

impl From<InvalidParameter> for Problem {
    fn from(invalid: InvalidParameter) -> Self {
        refused(invalid.parameter, &invalid.message)
    }
}

/// A refusal of the field `parameter`, shown beside it.
pub fn refused(parameter: impl Into<String>, message: &str) -> Problem {
    Problem::of_field(parameter, message)
}

/// Whether the editor shows a field for `parameter`; a refusal naming anything else
/// (`banners` as a whole, a banner's `id`) shows above the buttons instead.
pub fn editor_has_field(parameter: &str) -> bool {
    const FIELDS: [&str; 12] = [
        "primary",
        "accent",
        "background",
        "text",
        "radius",
        "url",
        "alt",
        "title",
        "imageUrl",
        "linkUrl",
        "startsAt",
        "endsAt",
    ];
    parameter
        .rsplit_once('.')
        .is_some_and(|(_, name)| FIELDS.contains(&name))
}

/// `text` trimmed, or `None` when it is blank: optional members are left out rather than sent
/// empty (which the API would refuse).
fn optional(text: String) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// A time as typed in a `datetime-local` input (the merchant's time zone), and the time it was
/// loaded as: the input holds whole minutes, so a time the merchant did not touch goes back
/// exactly as it came.
#[derive(Debug, Clone, Copy)]
pub struct TimeInput {
    pub text: RwSignal<String>,
    loaded: StoredValue<Option<Timestamp>>,
}

impl TimeInput {
    pub(crate) fn new(at: Option<&Timestamp>) -> Self {
        Self {
            text: RwSignal::new(at.map(local_input_value).unwrap_or_default()),
            loaded: StoredValue::new(at.cloned()),
        }
    }

    fn fill(&self, at: Option<&Timestamp>) {
        self.loaded.set_value(at.cloned());
        self.text.set(at.map(local_input_value).unwrap_or_default());
    }

    /// The time to send (none when the input is empty), or the refusal of `parameter`.
    pub(crate) fn value(
        &self,
        parameter: impl FnOnce() -> String,
    ) -> Result<Option<Timestamp>, Problem> {
        let text = self.text.get();
        if text.trim().is_empty() {
            return Ok(None);
        }
        if let Some(loaded) = self
            .loaded
            .get_value()
            .filter(|loaded| local_input_value(loaded) == text)
        {
            return Ok(Some(loaded));
        }
        utc_from_local_input(&text)
            .map(Some)
            .ok_or_else(|| refused(parameter(), "enter a date and time"))
    }
}

/// When a banner or the announcement shows: from, until (either open).
#[derive(Debug, Clone, Copy)]
pub struct ScheduleForm {
    pub starts_at: TimeInput,
    pub ends_at: TimeInput,
}

impl ScheduleForm {
    fn new(starts_at: Option<&Timestamp>, ends_at: Option<&Timestamp>) -> Self {
        Self {
            starts_at: TimeInput::new(starts_at),
            ends_at: TimeInput::new(ends_at),
        }
    }

    fn fill(&self, starts_at: Option<&Timestamp>, ends_at: Option<&Timestamp>) {
        self.starts_at.fill(starts_at);
        self.ends_at.fill(ends_at);
    }

    /// Start and end in UTC; `prefix` names the item in refusals (`banners[0]`).
    fn values(&self, prefix: &str) -> Result<(Option<Timestamp>, Option<Timestamp>), Problem> {
        Ok((
            self.starts_at.value(|| format!("{prefix}.startsAt"))?,
            self.ends_at.value(|| format!("{prefix}.endsAt"))?,
        ))
    }

    fn is_empty(&self) -> bool {
        self.starts_at.text.with(|t| t.trim().is_empty())
            && self.ends_at.text.with(|t| t.trim().is_empty())
    }
}

/// One banner's inputs. The id is the banner's for good: it is kept across versions.
#[derive(Debug, Clone, Copy)]
pub struct BannerForm {
    pub id: Uuid,
    pub image_url: RwSignal<String>,
    pub title: RwSignal<String>,
    pub text: RwSignal<String>,
    pub link_url: RwSignal<String>,
    pub schedule: ScheduleForm,
}

impl BannerForm {
    fn new(banner: &Banner) -> Self {
        Self {
            id: banner.id,
            image_url: RwSignal::new(banner.image_url.clone().unwrap_or_default()),
            title: RwSignal::new(banner.title.clone()),
            text: RwSignal::new(banner.text.clone().unwrap_or_default()),
            link_url: RwSignal::new(banner.link_url.clone().unwrap_or_default()),
            schedule: ScheduleForm::new(banner.starts_at.as_ref(), banner.ends_at.as_ref()),
        }
    }

    fn banner(&self, index: usize) -> Result<Banner, Problem> {
        let (starts_at, ends_at) = self.schedule.values(&format!("banners[{index}]"))?;
        Ok(Banner {
            id: self.id,
            image_url: optional(self.image_url.get()),
            title: self.title.get(),
            text: optional(self.text.get()),
            link_url: optional(self.link_url.get()),
            starts_at,
            ends_at,
        })
    }
}

/// The announcement bar's inputs; all empty means no announcement.
#[derive(Debug, Clone, Copy)]
pub struct AnnouncementForm {
    pub text: RwSignal<String>,
    pub link_url: RwSignal<String>,
    pub schedule: ScheduleForm,
}

impl AnnouncementForm {
    fn fill(&self, announcement: Option<&Announcement>) {
        self.text
            .set(announcement.map(|a| a.text.clone()).unwrap_or_default());
        self.link_url.set(
            announcement
                .and_then(|a| a.link_url.clone())
                .unwrap_or_default(),
        );
        self.schedule.fill(
            announcement.and_then(|a| a.starts_at.as_ref()),
            announcement.and_then(|a| a.ends_at.as_ref()),
        );
    }

    fn announcement(&self) -> Result<Option<Announcement>, Problem> {
        let blank = self.text.with(|t| t.trim().is_empty())
            && self.link_url.with(|l| l.trim().is_empty())
            && self.schedule.is_empty();
        if blank {
            return Ok(None);
        }
        // A link or a schedule without a text is kept, so that the API's rule ("1 to 200
        // characters") shows beside the text instead of the link silently vanishing.
        let (starts_at, ends_at) = self.schedule.values("announcement")?;
        Ok(Some(Announcement {
            text: self.text.get(),
            link_url: optional(self.link_url.get()),
            starts_at,
            ends_at,
        }))
    }
}

/// The four colours of the palette.
#[derive(Debug, Clone, Copy)]
pub struct ColoursForm {
    pub primary: RwSignal<String>,
    pub accent: RwSignal<String>,
    pub background: RwSignal<String>,
    pub text: RwSignal<String>,
}

impl ColoursForm {
    /// Each colour with its label and its name in the API (`theme.colors.{name}`).
    pub fn each(&self) -> [(&'static str, &'static str, RwSignal<String>); 4] {
        [
            ("Primary colour", "primary", self.primary),
            ("Accent colour", "accent", self.accent),
            ("Background colour", "background", self.background),
            ("Text colour", "text", self.text),
        ]
    }
}

/// The whole draft being edited.
#[derive(Debug, Clone, Copy)]
pub struct DraftForm {
    pub mode: RwSignal<ThemeMode>,
    pub colours: ColoursForm,
    pub font: RwSignal<FontStack>,
    /// As typed: parsed when the document is made, so a half-typed number is no error yet.
    pub radius: RwSignal<String>,
    pub logo_url: RwSignal<String>,
    pub logo_alt: RwSignal<String>,
    pub banners: RwSignal<Vec<BannerForm>>,
    pub announcement: AnnouncementForm,
    /// The editor's reactive owner: banners added later get their signals there, so they go
    /// when the page does.
    owner: StoredValue<Option<Owner>>,
}

impl DraftForm {
    /// An empty form, owned by the calling component; [`DraftForm::fill`] loads a document.
    pub fn new() -> Self {
        let text = || RwSignal::new(String::new());
        Self {
            mode: RwSignal::new(ThemeMode::Light),
            colours: ColoursForm {
                primary: text(),
                accent: text(),
                background: text(),
                text: text(),
            },
            font: RwSignal::new(FontStack::System),
            radius: text(),
            logo_url: text(),
            logo_alt: text(),
            banners: RwSignal::new(Vec::new()),
            announcement: AnnouncementForm {
                text: text(),
                link_url: text(),
                schedule: ScheduleForm::new(None, None),
            },
            owner: StoredValue::new(Owner::current()),
        }
    }

    /// Runs `make` in the editor's owner.
    fn owned<T>(&self, make: impl FnOnce() -> T) -> T {
        match self.owner.get_value() {
            Some(owner) => owner.with(make),
            None => make(),
        }
    }

    /// Puts `document` into the inputs.
    pub fn fill(&self, document: &Storefront) {
        let theme = &document.theme;
        self.mode.set(theme.mode);
        self.colours.primary.set(theme.colors.primary.clone());
        self.colours.accent.set(theme.colors.accent.clone());
        self.colours.background.set(theme.colors.background.clone());
        self.colours.text.set(theme.colors.text.clone());
        self.font.set(theme.font);
        self.radius.set(theme.radius.to_string());
        let logo = document.logo.as_ref();
        self.logo_url
            .set(logo.map(|l| l.url.clone()).unwrap_or_default());
        self.logo_alt
            .set(logo.map(|l| l.alt.clone()).unwrap_or_default());
        let banners = self.owned(|| document.banners.iter().map(BannerForm::new).collect());
        self.banners.set(banners);
        self.announcement.fill(document.announcement.as_ref());
    }

    /// Adds an empty banner at the end.
    pub fn add_banner(&self) {
        let banner = self.owned(|| {
            BannerForm::new(&Banner {
                id: Uuid::new_v4(),
                image_url: None,
                title: String::new(),
                text: None,
                link_url: None,
                starts_at: None,
                ends_at: None,
            })
        });
        self.banners.update(|banners| banners.push(banner));
    }

    /// The document the inputs hold, or the refusal of the first input that cannot be read
    /// (a corner radius that is not a number, a time that does not exist). Tracks every input
    /// when called in a reactive context.
    pub fn document(&self) -> Result<Storefront, Problem> {
        let radius = self.radius.get().trim().parse::<u32>().map_err(|_| {
            refused(
                "theme.radius",
                &format!("enter a whole number of pixels, 0 to {MAX_RADIUS}"),
            )
        })?;
        let colour = |value: RwSignal<String>| value.get().trim().to_owned();
        let logo = optional(self.logo_url.get()).map(|url| Logo {
            url,
            alt: self.logo_alt.get(),
        });
        let banners = self
            .banners
            .get()
            .iter()
            .enumerate()
            .map(|(index, banner)| banner.banner(index))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Storefront {
            theme: Theme {
                mode: self.mode.get(),
                colors: ThemeColors {
                    primary: colour(self.colours.primary),
                    accent: colour(self.colours.accent),
                    background: colour(self.colours.background),
                    text: colour(self.colours.text),
                },
                font: self.font.get(),
                radius,
            },
            logo,
            banners,
            announcement: self.announcement.announcement()?,
        })
    }

    /// [`DraftForm::document`], checked by the API's own rules before it is sent.
    pub fn checked_document(&self) -> Result<Storefront, Problem> {
        let document = self.document()?;
        document.validate()?;
        Ok(document)
    }
}
