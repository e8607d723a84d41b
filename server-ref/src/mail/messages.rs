//! What each message says: localised texts (Fluent, one `.ftl` file per language in
//! `locales/`) laid out by one pair of askama templates (`templates/mail/message.html`, which
//! escapes every value, and `message.txt`).
//!
//! A new message is a function here building a [`Content`] and its ids in every `.ftl` file;
//! the templates need no change unless it shows something new.

use crate::http::ApiError;
use crate::l10n::{Source, Translations};
use askama::Template;
use colmena_sdk::contract::Order;
use colmena_sdk::money::format_money;

/// The languages messages are written in (the console's and widget's), English first: the
/// fallback.
const LANGUAGES: [Source; 5] = [
    ("en", include_str!("locales/en.ftl")),
    ("es", include_str!("locales/es.ftl")),
    ("fr", include_str!("locales/fr.ftl")),
    ("pt", include_str!("locales/pt.ftl")),
    ("sw", include_str!("locales/sw.ftl")),
];

/// Every language's messages, parsed once.
static MESSAGES: std::sync::LazyLock<Translations> =
    std::sync::LazyLock::new(|| Translations::new(&LANGUAGES));

/// The texts of one message in the language chosen for its reader.
pub(crate) struct Texts {
    language: usize,
    /// The locale amounts are formatted in (the store's, e.g. `es-ES`).
    money_locale: String,
}

/// The message language that best fits a reader's `Accept-Language` (one of the five), or
/// `None` when none fits or no language is asked for (`*`): their mail is then in the store's.
pub(crate) fn reader_language(accept_language: &str) -> Option<&'static str> {
    MESSAGES.accepted(accept_language)
}

impl Texts {
    /// The best of the five languages for `preferred` (the buyer's language where known, then
    /// the store's locale), English when none fits. Amounts follow `money_locale`.
    pub(crate) fn choose(preferred: &[&str], money_locale: &str) -> Self {
        Self {
            language: MESSAGES.choose(preferred),
            money_locale: money_locale.to_owned(),
        }
    }

    /// The language's tag, e.g. `es`.
    fn tag(&self) -> &'static str {
        MESSAGES.tag(self.language)
    }

    /// Message `id` with its arguments (see [`Translations::text`]).
    fn text(&self, id: &str, args: &[(&str, &str)]) -> String {
        MESSAGES.text(self.language, id, args)
    }

    fn money(&self, money: &colmena_sdk::contract::Money) -> String {
        format_money(money.amount, &money.currency, &self.money_locale)
    }
}

/// A message ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
}

/// What a message shows, in its reader's language; both templates lay it out.
struct Content {
    heading: String,
    paragraphs: Vec<String>,
    order: Option<OrderSummary>,
    action: Option<Action>,
    closing: Vec<String>,
    link_fallback: String,
    footer: String,
}

impl Content {
    /// A message's frame, the same in every message: its heading (`{prefix}-heading`), the
    /// fallback line under a button, and the footer naming the store.
    fn framed(texts: &Texts, store: &Sender<'_>, prefix: &str) -> Self {
        Self {
            heading: texts.text(&format!("{prefix}-heading"), &[]),
            paragraphs: Vec::new(),
            order: None,
            action: None,
            closing: Vec::new(),
            link_fallback: texts.text("link-fallback", &[]),
            footer: texts.text("footer", &[("store", store.name)]),
        }
    }
}

/// A button (HTML) or a labelled link (text).
struct Action {
    label: String,
    url: String,
}

/// An order's lines, totals and download links.
struct OrderSummary {
    heading: String,
    quantity_label: String,
    lines: Vec<SummaryLine>,
    totals: Vec<SummaryLine>,
    downloads_heading: String,
    downloads_note: String,
    downloads: Vec<Action>,
}

struct SummaryLine {
    label: String,
    quantity: String,
    amount: String,
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct HtmlMessage<'a> {
    language: &'a str,
    store: &'a str,
    subject: &'a str,
    content: &'a Content,
}

#[derive(Template)]
#[template(path = "mail/message.txt")]
struct TextMessage<'a> {
    content: &'a Content,
}

/// Which message an order's change sends its buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderMessage<'a> {
    /// Paid: the lines, totals and download links.
    Confirmation,
    /// The provider refused the payment and the order was cancelled.
    PaymentFailed,
    /// All the money was given back (and the downloads revoked).
    Refunded,
    /// Part of the money was given back.
    PartlyRefunded(&'a colmena_sdk::contract::Money),
    /// A parcel left, with its carrier and tracking.
    Shipped(&'a colmena_sdk::contract::Shipment),
}

impl OrderMessage<'_> {
    /// The outbox's `kind` of the message.
    pub fn kind(self) -> &'static str {
        match self {
            Self::Confirmation => "order_confirmation",
            Self::PaymentFailed => "payment_failed",
            Self::Refunded => "order_refunded",
            Self::PartlyRefunded(_) => "order_partly_refunded",
            Self::Shipped(_) => "order_shipped",
        }
    }
}

/// The store as messages name it.
pub(crate) struct Sender<'a> {
    /// The store's name.
    pub name: &'a str,
}

/// An order message, rendered from the contract's `Order` (as the API shows it), so it shows
/// what the buyer sees elsewhere: lines, totals and the download links of digital lines.
pub(crate) fn order_message(
    texts: &Texts,
    store: &Sender<'_>,
    kind: OrderMessage<'_>,
    order: &Order,
) -> Result<Rendered, ApiError> {
    // The number people see everywhere: `#1001`.
    let reference = format!("#{}", order.number);
    let order_arg = [("order", reference.as_str())];
    let (prefix, intro) = match kind {
        OrderMessage::Confirmation => (
            "order-confirmation",
            texts.text("order-confirmation-intro", &order_arg),
        ),
        OrderMessage::PaymentFailed => (
            "payment-failed",
            texts.text("payment-failed-intro", &order_arg),
        ),
        OrderMessage::Refunded => {
            let amount = texts.money(&order.total);
            let args = [("order", reference.as_str()), ("amount", amount.as_str())];
            ("refunded", texts.text("refunded-intro", &args))
        }
        OrderMessage::PartlyRefunded(amount) => {
            let amount = texts.money(amount);
            let args = [("order", reference.as_str()), ("amount", amount.as_str())];
            (
                "partly-refunded",
                texts.text("partly-refunded-intro", &args),
            )
        }
        OrderMessage::Shipped(shipment) => {
            let tracking = shipment.tracking_number.as_deref().unwrap_or("—");
            let args = [
                ("order", reference.as_str()),
                ("carrier", shipment.carrier.as_str()),
                ("tracking", tracking),
            ];
            ("shipped", texts.text("shipped-intro", &args))
        }
    };
    let summary = OrderSummary {
        heading: texts.text("order-heading", &order_arg),
        quantity_label: texts.text("order-quantity", &[]),
        lines: order
            .items
            .iter()
            .map(|item| SummaryLine {
                label: if item.variant_title.is_empty() {
                    item.product_name.clone()
                } else {
                    format!("{} ({})", item.product_name, item.variant_title)
                },
                quantity: item.quantity.to_string(),
                amount: texts.money(&item.line_total),
            })
            .collect(),
        totals: breakdown(texts, order),
        downloads_heading: texts.text("downloads-heading", &[]),
        downloads_note: texts.text("downloads-note", &[]),
        downloads: order
            .downloads
            .iter()
            .map(|download| Action {
                label: download.file_name.clone(),
                url: download.url.clone(),
            })
            .collect(),
    };
    let content = Content {
        paragraphs: vec![intro],
        order: Some(summary),
        ..Content::framed(texts, store, prefix)
    };
    render(texts, store, prefix, &content)
}

/// The order's totals as receipt lines: subtotal, each discount, shipping, tax, total.
fn breakdown(texts: &Texts, order: &Order) -> Vec<SummaryLine> {
    let totals = &order.totals;
    let line = |label: String, amount: String| SummaryLine {
        label,
        quantity: String::new(),
        amount,
    };
    let mut lines = vec![line(
        texts.text("order-subtotal", &[]),
        texts.money(&totals.subtotal),
    )];
    for discount in &totals.discounts {
        lines.push(line(
            discount.name.clone(),
            format!("\u{2212}{}", texts.money(&discount.amount)),
        ));
    }
    if order.shipping_method.is_some() || totals.shipping.amount > 0 {
        let label = match &order.shipping_method {
            Some(method) => format!("{} ({method})", texts.text("order-shipping", &[])),
            None => texts.text("order-shipping", &[]),
        };
        lines.push(line(label, texts.money(&totals.shipping)));
    }
    if totals.tax.amount > 0 {
        let label = if totals.tax_included {
            "order-tax-included"
        } else {
            "order-tax"
        };
        lines.push(line(texts.text(label, &[]), texts.money(&totals.tax)));
    }
    lines.push(line(
        texts.text("order-total", &[]),
        texts.money(&totals.total),
    ));
    lines
}

/// A message whose point is one link: password reset, invitation, buyer access.
pub(crate) struct LinkMessage<'a> {
    /// The ids' prefix in the `.ftl` files: `password-reset`, `invitation`, `access-link`.
    pub prefix: &'static str,
    /// The intro's arguments besides `store`.
    pub args: &'a [(&'a str, &'a str)],
    /// The link.
    pub url: &'a str,
    /// Whether the texts have an `-ignore` line (for links nobody may have asked for).
    pub unasked: bool,
}

/// Renders a [`LinkMessage`].
pub(crate) fn link_message(
    texts: &Texts,
    store: &Sender<'_>,
    message: &LinkMessage<'_>,
) -> Result<Rendered, ApiError> {
    let prefix = message.prefix;
    let mut intro_args = vec![("store", store.name)];
    intro_args.extend_from_slice(message.args);
    let content = Content {
        paragraphs: vec![texts.text(&format!("{prefix}-intro"), &intro_args)],
        action: Some(Action {
            label: texts.text(&format!("{prefix}-action"), &[]),
            url: message.url.to_owned(),
        }),
        closing: if message.unasked {
            vec![texts.text(&format!("{prefix}-ignore"), &[])]
        } else {
            Vec::new()
        },
        ..Content::framed(texts, store, prefix)
    };
    render(texts, store, prefix, &content)
}

/// Renders `content` with the subject `{prefix}-subject`.
fn render(
    texts: &Texts,
    store: &Sender<'_>,
    prefix: &str,
    content: &Content,
) -> Result<Rendered, ApiError> {
    let subject = &texts.text(&format!("{prefix}-subject"), &[("store", store.name)]);
    let html = HtmlMessage {
        language: texts.tag(),
        store: store.name,
        subject,
        content,
    }
    .render()
    .map_err(|e| ApiError::internal(format!("mail template: {e}")))?;
    let text = TextMessage { content }
        .render()
        .map_err(|e| ApiError::internal(format!("mail template: {e}")))?;
    Ok(Rendered {
        subject: subject.to_owned(),
        text,
        html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_parses_and_has_every_message_of_english() {
        crate::l10n::check_complete(&LANGUAGES);
    }

    #[test]
    fn the_store_locale_picks_the_language_and_html_is_escaped() {
        let texts = Texts::choose(&["es-ES"], "es-ES");
        let store = Sender {
            name: "Miel <b>& Co</b>",
        };
        let message = LinkMessage {
            prefix: "access-link",
            args: &[("minutes", "30")],
            url: "https://shop.test/orders/#store=a&token=xyz",
            unasked: true,
        };
        let rendered = link_message(&texts, &store, &message).unwrap();
        assert!(
            rendered.subject.contains("tus pedidos"),
            "{}",
            rendered.subject
        );
        assert!(rendered
            .text
            .contains("https://shop.test/orders/#store=a&token=xyz"));
        assert!(
            rendered
                .html
                .contains("Miel &#60;b&#62;&#38; Co&#60;/b&#62;")
                || rendered.html.contains("Miel &lt;b&gt;&amp; Co&lt;/b&gt;"),
            "{}",
            rendered.html
        );
        assert!(!rendered.html.contains("<b>"));
        let fallback = Texts::choose(&["de-DE"], "de-DE");
        assert_eq!(fallback.tag(), "en");
        assert_eq!(Texts::choose(&["sw-KE"], "sw-KE").tag(), "sw");
    }
}
