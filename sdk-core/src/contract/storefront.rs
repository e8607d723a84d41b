//! The storefront editor: a store's theme, logo, banners and announcement as one document, edited
//! as a draft (`…/storefront/draft`), previewed with a token, published as numbered versions
//! (now or at a set time), rolled back by publishing an old version's copy; and the live document
//! shoppers' storefronts read (`GET /api/v1/stores/{store}/storefront`).
//!
//! [`Storefront::validate`] is the one set of rules: the server answers its refusal as 400
//! `VALIDATION_ERROR` naming the field (`theme.colors.primary`, `banners[1].linkUrl`), and
//! clients can run it before sending.

use crate::json::{Decode, Encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{AuditActor, Branding, InvalidParameter, Timestamp};

/// Most banners in a storefront.
pub const MAX_BANNERS: usize = 10;
/// Largest corner radius, in CSS pixels.
pub const MAX_RADIUS: u32 = 24;
/// Longest URL (links, images), in characters.
pub const MAX_URL_CHARS: usize = 2048;
/// Longest banner title, in characters.
pub const MAX_BANNER_TITLE_CHARS: usize = 100;
/// Longest banner text, in characters.
pub const MAX_BANNER_TEXT_CHARS: usize = 500;
/// Longest announcement, in characters.
pub const MAX_ANNOUNCEMENT_CHARS: usize = 200;
/// Longest alternative text of the logo, in characters.
pub const MAX_ALT_CHARS: usize = 200;

// The document and its parts are request bodies (`PUT …/storefront/draft`) as well as answers,
// and refuse unknown members: a typo (`colour`) fails loudly instead of being dropped, and an
// old client that cannot read a newer member cannot silently erase it by saving the document
// back either.

/// A store's storefront: what storefronts (the widget, apps, a custom site) show around the
/// catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Storefront {
    /// Colours, font and shape.
    pub theme: Theme,
    /// The store's logo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub logo: Option<Logo>,
    /// Banners in display order, at most 10. The public document holds only those whose
    /// schedule contains the moment of the request.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub banners: Vec<Banner>,
    /// A line shown above the storefront; the public document holds it only while its
    /// schedule contains the moment of the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub announcement: Option<Announcement>,
}

/// Colours, font and shape of a storefront.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Theme {
    /// Light, dark, or following the shopper's system setting.
    pub mode: ThemeMode,
    /// The palette, each `#rrggbb`.
    pub colors: ThemeColors,
    /// One of the safe font stacks.
    pub font: FontStack,
    /// Corner radius of cards and buttons, 0 to 24 CSS pixels.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 24))]
    pub radius: u32,
}

/// Light or dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ThemeMode {
    /// Light backgrounds.
    Light,
    /// Dark backgrounds.
    Dark,
    /// The shopper's system setting (`prefers-color-scheme`).
    Auto,
}

/// A storefront's palette, each colour `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ThemeColors {
    /// Main brand colour: buttons, links.
    pub primary: String,
    /// Secondary colour: badges, highlights.
    pub accent: String,
    /// Page background.
    pub background: String,
    /// Body text.
    pub text: String,
}

/// The font stacks a storefront may use: installed system fonts only, so that no storefront
/// loads fonts from elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum FontStack {
    /// The platform's interface font.
    System,
    /// A book serif.
    Serif,
    /// A rounded sans-serif.
    Rounded,
    /// A monospaced font.
    Mono,
}

impl FontStack {
    /// The CSS `font-family` value of the stack.
    pub fn css(self) -> &'static str {
        match self {
            Self::System => {
                "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
            }
            Self::Serif => "Charter, 'Bitstream Charter', 'Sitka Text', Cambria, Georgia, serif",
            Self::Rounded => {
                "ui-rounded, 'Hiragino Maru Gothic ProN', Quicksand, Comfortaa, 'Arial Rounded MT Bold', sans-serif"
            }
            Self::Mono => {
                "ui-monospace, 'Cascadia Code', 'Source Code Pro', Menlo, Consolas, monospace"
            }
        }
    }
}

/// A storefront's logo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Logo {
    /// The image: `https://`, `http://` or a path on the storefront's site (`/…`), e.g. the
    /// URL `POST …/storefront/assets` answers.
    pub url: String,
    /// Alternative text for screen readers, 1 to 200 characters.
    pub alt: String,
}

/// A banner: an image and a title, optionally a text, a link and a schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Banner {
    /// Id, unique in the storefront (chosen by the editor, kept across versions).
    pub id: Uuid,
    /// The image: `https://`, `http://` or a path (`/…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub image_url: Option<String>,
    /// Title, 1 to 100 characters.
    pub title: String,
    /// Text under the title, up to 500 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub text: Option<String>,
    /// Where the banner leads: `https://`, `http://` or a path (`/…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub link_url: Option<String>,
    /// Shown from this time on (RFC 3339); absent: already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub starts_at: Option<Timestamp>,
    /// Shown until this time (RFC 3339, exclusive), after `startsAt`; absent: no end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub ends_at: Option<Timestamp>,
}

/// A one-line announcement above the storefront, optionally linked and scheduled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Announcement {
    /// The text, 1 to 200 characters on one line.
    pub text: String,
    /// Where it leads: `https://`, `http://` or a path (`/…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub link_url: Option<String>,
    /// Shown from this time on (RFC 3339); absent: already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub starts_at: Option<Timestamp>,
    /// Shown until this time (RFC 3339, exclusive), after `startsAt`; absent: no end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub ends_at: Option<Timestamp>,
}

/// The draft being edited (`GET`/`PUT …/storefront/draft`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StorefrontDraft {
    /// The document. Until the first save, a copy of the live version (or, before the first
    /// publication, a theme made from the store's branding colours).
    pub document: Storefront,
    /// When it was last saved; absent until the first save.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub updated_at: Option<Timestamp>,
    /// Who saved it last; absent until the first save.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<AuditActor>,
}

/// Where a published version stands, at the moment of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum StorefrontVersionStatus {
    /// What shoppers see now: the highest-numbered version, not cancelled, whose `publishAt`
    /// has come.
    Live,
    /// Waiting for its `publishAt`.
    Scheduled,
    /// Was live, or will never be, because a higher-numbered version goes live before it.
    Superseded,
    /// Cancelled while scheduled; never live.
    Cancelled,
}

impl StorefrontVersionStatus {
    /// The status as written on the wire, e.g. `live`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Live => "live",
            Self::Scheduled => "scheduled",
            Self::Superseded => "superseded",
            Self::Cancelled => "cancelled",
        }
    }
}

/// A published version of the storefront. Numbers count up from 1 in each store; a rollback
/// publishes a new number with an older version's document, so history stays linear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StorefrontVersion {
    /// 1, 2, 3… in the store.
    pub number: u32,
    /// Live, scheduled, superseded or cancelled, now.
    pub status: StorefrontVersionStatus,
    /// When it goes (or went) live, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub publish_at: Timestamp,
    /// Who published it.
    pub published_by: AuditActor,
    /// When it was published (asked for), RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    /// The version whose document a rollback copied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback_of: Option<u32>,
    /// When it was cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub cancelled_at: Option<Timestamp>,
    /// The document.
    pub document: Storefront,
}

/// `POST …/storefront/publish`: the draft becomes a new version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishRequest {
    /// When it goes live (RFC 3339): a future time schedules it; absent, or a time already
    /// past, publishes now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub publish_at: Option<Timestamp>,
}

/// A secret that shows the draft on the public route (`X-Colmena-Preview` header or `?preview=`),
/// to share an unpublished storefront. Stored only hashed: shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviewToken {
    /// The token.
    pub token: String,
    /// When it stops working (24 hours after it was made), RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub expires_at: Timestamp,
}

/// An uploaded storefront image (`POST …/storefront/assets`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StorefrontAsset {
    /// Its public URL, for `logo.url` or a banner's `imageUrl`.
    pub url: String,
    /// `image/jpeg`, `image/png` or `image/webp`.
    pub content_type: String,
    /// Its size in bytes.
    pub size: u64,
}

/// Whether `text` is a CSS hex colour `#rrggbb` (either case).
pub fn is_hex_colour(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether `text` may be a link or image URL in a storefront: `https://` or `http://` with a
/// host, or a path on the storefront's own site (`/…`, but not `//host`). Other schemes
/// (`javascript:`, `data:`) would run or embed content in shoppers' pages.
pub fn is_storefront_url(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    let after_scheme = if lower.starts_with("https://") {
        &text[8..]
    } else if lower.starts_with("http://") {
        &text[7..]
    } else if text.starts_with('/') && !text.starts_with("//") && !text.starts_with("/\\") {
        ""
    } else {
        return false;
    };
    let host_present = text.starts_with('/')
        || after_scheme
            .split(['/', '?', '#'])
            .next()
            .is_some_and(|host| !host.is_empty() && !host.contains('\\'));
    host_present
        && text.chars().count() <= MAX_URL_CHARS
        && !text
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
}

impl Storefront {
    /// The storefront of a store that never published one: a light theme in the store's
    /// branding colours, its logo, no banners.
    pub fn from_branding(store_name: &str, branding: &Branding) -> Self {
        let colour = |text: &str, fallback: &str| {
            if is_hex_colour(text) {
                text.to_ascii_lowercase()
            } else {
                fallback.to_owned()
            }
        };
        Self {
            theme: Theme {
                mode: ThemeMode::Light,
                colors: ThemeColors {
                    primary: colour(&branding.primary_color, "#1f2937"),
                    accent: colour(&branding.accent_color, "#b45309"),
                    background: "#ffffff".into(),
                    text: "#1f2937".into(),
                },
                font: FontStack::System,
                radius: 8,
            },
            logo: branding
                .logo_url
                .as_ref()
                .filter(|url| is_storefront_url(url))
                .map(|url| Logo {
                    url: url.clone(),
                    alt: store_name.chars().take(MAX_ALT_CHARS).collect(),
                }),
            banners: Vec::new(),
            announcement: None,
        }
    }

    /// Checks the document against the API's rules; the refusal names the field
    /// (`theme.colors.primary`, `banners[1].linkUrl`).
    pub fn validate(&self) -> Result<(), InvalidParameter> {
        let colors = &self.theme.colors;
        for (name, value) in [
            ("primary", &colors.primary),
            ("accent", &colors.accent),
            ("background", &colors.background),
            ("text", &colors.text),
        ] {
            if !is_hex_colour(value) {
                return Err(invalid(
                    format!("theme.colors.{name}"),
                    value,
                    "must be a colour #rrggbb",
                ));
            }
        }
        if self.theme.radius > MAX_RADIUS {
            return Err(invalid(
                "theme.radius".into(),
                &self.theme.radius.to_string(),
                &format!("must be 0 to {MAX_RADIUS} pixels"),
            ));
        }
        if let Some(logo) = &self.logo {
            check_url("logo.url".into(), &logo.url)?;
            check_text("logo.alt".into(), &logo.alt, 1, MAX_ALT_CHARS, false)?;
        }
        if self.banners.len() > MAX_BANNERS {
            return Err(invalid(
                "banners".into(),
                &self.banners.len().to_string(),
                &format!("may hold at most {MAX_BANNERS} banners"),
            ));
        }
        for (index, banner) in self.banners.iter().enumerate() {
            let field = |name: &str| format!("banners[{index}].{name}");
            if self.banners[..index].iter().any(|b| b.id == banner.id) {
                return Err(invalid(
                    field("id"),
                    &banner.id.to_string(),
                    "is used by an earlier banner",
                ));
            }
            check_text(
                field("title"),
                &banner.title,
                1,
                MAX_BANNER_TITLE_CHARS,
                false,
            )?;
            if let Some(text) = &banner.text {
                check_text(field("text"), text, 0, MAX_BANNER_TEXT_CHARS, true)?;
            }
            if let Some(url) = &banner.image_url {
                check_url(field("imageUrl"), url)?;
            }
            if let Some(url) = &banner.link_url {
                check_url(field("linkUrl"), url)?;
            }
            check_window(&field, banner.starts_at.as_ref(), banner.ends_at.as_ref())?;
        }
        if let Some(announcement) = &self.announcement {
            let field = |name: &str| format!("announcement.{name}");
            check_text(
                field("text"),
                &announcement.text,
                1,
                MAX_ANNOUNCEMENT_CHARS,
                false,
            )?;
            if let Some(url) = &announcement.link_url {
                check_url(field("linkUrl"), url)?;
            }
            check_window(
                &field,
                announcement.starts_at.as_ref(),
                announcement.ends_at.as_ref(),
            )?;
        }
        Ok(())
    }

    /// The document as shoppers see it at `now_millis` (Unix milliseconds): only the banners,
    /// and the announcement, whose schedule contains that moment.
    pub fn shown_at(mut self, now_millis: i64) -> Self {
        self.banners.retain(|banner| {
            shown(
                banner.starts_at.as_ref(),
                banner.ends_at.as_ref(),
                now_millis,
            )
        });
        self.announcement = self
            .announcement
            .filter(|a| shown(a.starts_at.as_ref(), a.ends_at.as_ref(), now_millis));
        self
    }

    /// The first moment after `now_millis` at which [`Storefront::shown_at`] changes (a banner
    /// or the announcement starts or ends), if any: how long an answer stays true.
    pub fn next_change_after(&self, now_millis: i64) -> Option<i64> {
        let banners = self
            .banners
            .iter()
            .flat_map(|banner| [&banner.starts_at, &banner.ends_at]);
        let announcement = self
            .announcement
            .iter()
            .flat_map(|a| [&a.starts_at, &a.ends_at]);
        banners
            .chain(announcement)
            .flatten()
            .filter_map(Timestamp::unix_millis)
            .filter(|at| *at > now_millis)
            .min()
    }
}

/// Whether a schedule `[starts_at, ends_at)` contains `now_millis`; a time that does not parse
/// (the document was validated, so none should) hides the item rather than showing it forever.
fn shown(starts_at: Option<&Timestamp>, ends_at: Option<&Timestamp>, now_millis: i64) -> bool {
    let started = starts_at.is_none_or(|at| at.unix_millis().is_some_and(|at| at <= now_millis));
    let not_ended = ends_at.is_none_or(|at| at.unix_millis().is_some_and(|at| now_millis < at));
    started && not_ended
}

fn invalid(parameter: String, value: &str, message: &str) -> InvalidParameter {
    InvalidParameter {
        parameter,
        value: value.chars().take(100).collect(),
        message: message.to_owned(),
    }
}

fn check_url(parameter: String, url: &str) -> Result<(), InvalidParameter> {
    if is_storefront_url(url) {
        Ok(())
    } else {
        Err(invalid(
            parameter,
            url,
            &format!("must be an https:// or http:// URL or a path starting with /, up to {MAX_URL_CHARS} characters"),
        ))
    }
}

fn check_text(
    parameter: String,
    text: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> Result<(), InvalidParameter> {
    let length = text.trim().chars().count();
    if length < min || text.chars().count() > max {
        let message = if min == 0 {
            format!("must be at most {max} characters")
        } else {
            format!("must be {min} to {max} characters")
        };
        return Err(invalid(parameter, text, &message));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !(multiline && c == '\n'))
    {
        return Err(invalid(
            parameter,
            text,
            if multiline {
                "must not hold control characters other than line breaks"
            } else {
                "must be one line without control characters"
            },
        ));
    }
    Ok(())
}

fn check_window(
    field: &dyn Fn(&str) -> String,
    starts_at: Option<&Timestamp>,
    ends_at: Option<&Timestamp>,
) -> Result<(), InvalidParameter> {
    let time = |name: &str, at: Option<&Timestamp>| {
        at.map(|at| {
            at.unix_millis()
                .ok_or_else(|| invalid(field(name), at.as_str(), "must be an RFC 3339 time"))
        })
        .transpose()
    };
    let (starts, ends) = (time("startsAt", starts_at)?, time("endsAt", ends_at)?);
    if let (Some(starts), Some(ends), Some(text)) = (starts, ends, ends_at) {
        if ends <= starts {
            return Err(invalid(
                field("endsAt"),
                text.as_str(),
                "must be after startsAt",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn banner(title: &str) -> Banner {
        Banner {
            id: Uuid::new_v4(),
            image_url: None,
            title: title.into(),
            text: None,
            link_url: None,
            starts_at: None,
            ends_at: None,
        }
    }

    fn document() -> Storefront {
        Storefront::from_branding(
            "Honey Co.",
            &Branding {
                primary_color: "#B45309".into(),
                accent_color: "#1f2937".into(),
                logo_url: Some("https://cdn.example/logo.png".into()),
            },
        )
    }

    #[test]
    fn the_default_follows_the_branding() {
        let doc = document();
        assert_eq!(doc.theme.colors.primary, "#b45309");
        assert_eq!(doc.logo.as_ref().unwrap().alt, "Honey Co.");
        assert_eq!(doc.validate(), Ok(()));
    }

    #[test]
    fn refusals_name_the_field() {
        let refused = |change: &dyn Fn(&mut Storefront)| {
            let mut doc = document();
            change(&mut doc);
            doc.validate().unwrap_err().parameter
        };
        assert_eq!(
            refused(&|d| d.theme.colors.primary = "red".into()),
            "theme.colors.primary"
        );
        assert_eq!(
            refused(&|d| d.theme.colors.text = "#12345g".into()),
            "theme.colors.text"
        );
        assert_eq!(refused(&|d| d.theme.radius = 25), "theme.radius");
        assert_eq!(
            refused(&|d| d.logo.as_mut().unwrap().url = "javascript:alert(1)".into()),
            "logo.url"
        );
        assert_eq!(
            refused(&|d| d.logo.as_mut().unwrap().alt = " ".into()),
            "logo.alt"
        );
        assert_eq!(
            refused(&|d| {
                d.banners = vec![banner("A"), banner("B")];
                d.banners[1].link_url = Some("//evil.example".into());
            }),
            "banners[1].linkUrl"
        );
        assert_eq!(
            refused(&|d| {
                d.banners = vec![banner("A")];
                d.banners[0].image_url = Some("data:image/png;base64,AAAA".into());
            }),
            "banners[0].imageUrl"
        );
        assert_eq!(
            refused(&|d| d.banners = vec![banner("")]),
            "banners[0].title"
        );
        assert_eq!(
            refused(&|d| {
                let first = banner("A");
                d.banners = vec![first.clone(), first];
            }),
            "banners[1].id"
        );
        assert_eq!(
            refused(&|d| d.banners = (0..11).map(|i| banner(&i.to_string())).collect()),
            "banners"
        );
        assert_eq!(
            refused(&|d| {
                let mut b = banner("A");
                b.starts_at = Some("2025-03-02T00:00:00Z".into());
                b.ends_at = Some("2025-03-01T00:00:00Z".into());
                d.banners = vec![b];
            }),
            "banners[0].endsAt"
        );
        assert_eq!(
            refused(&|d| {
                let mut b = banner("A");
                b.starts_at = Some("tomorrow".into());
                d.banners = vec![b];
            }),
            "banners[0].startsAt"
        );
        assert_eq!(
            refused(&|d| {
                d.announcement = Some(Announcement {
                    text: "Free shipping\nover 50".into(),
                    link_url: None,
                    starts_at: None,
                    ends_at: None,
                })
            }),
            "announcement.text"
        );
    }

    #[test]
    fn urls_are_web_links_or_paths() {
        for good in [
            "https://shop.example/sale",
            "HTTP://shop.example",
            "/collections/honey?sort=price#top",
            "https://shop.example/caf%C3%A9",
        ] {
            assert!(is_storefront_url(good), "{good}");
        }
        for bad in [
            "",
            "javascript:alert(1)",
            "data:text/html,hi",
            "//evil.example",
            "/\\evil.example",
            "https://",
            "https:///path",
            "sale",
            "https://shop.example/a b",
            "https://shop.example/\"onload=",
        ] {
            assert!(!is_storefront_url(bad), "{bad}");
        }
    }

    #[test]
    fn schedules_filter_what_shoppers_see() {
        let at = |text: &str| Some(Timestamp::from(text));
        let mut doc = document();
        let mut past = banner("past");
        past.ends_at = at("2025-03-01T00:00:00Z");
        let mut current = banner("current");
        current.starts_at = at("2025-03-01T00:00:00Z");
        current.ends_at = at("2025-04-01T00:00:00Z");
        let mut future = banner("future");
        future.starts_at = at("2025-05-01T00:00:00Z");
        doc.banners = vec![past, current, future, banner("always")];
        doc.announcement = Some(Announcement {
            text: "Spring sale".into(),
            link_url: Some("/sale".into()),
            starts_at: at("2025-03-15T00:00:00Z"),
            ends_at: None,
        });
        assert_eq!(doc.validate(), Ok(()));
        let now = at("2025-03-10T00:00:00Z").unwrap().unix_millis().unwrap();
        assert_eq!(
            doc.next_change_after(now),
            at("2025-03-15T00:00:00Z").unwrap().unix_millis()
        );
        let shown = doc.shown_at(now);
        let titles: Vec<_> = shown.banners.iter().map(|b| b.title.as_str()).collect();
        assert_eq!(titles, ["current", "always"]);
        assert!(shown.announcement.is_none());
    }

    #[test]
    fn documents_refuse_unknown_members() {
        let json = serde_json::to_value(document()).unwrap();
        let mut typo = json.clone();
        typo["theme"]["colour"] = "#000000".into();
        assert!(serde_json::from_value::<Storefront>(typo).is_err());
        assert_eq!(
            crate::json::decode::<Storefront>(json.to_string().as_bytes()).unwrap(),
            document()
        );
    }
}
