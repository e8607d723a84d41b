//! What the demo stores sell: their categories, products, stock, variants and digital goods.

use colmena_sdk::contract::ShippingRateKind;

/// Password of the demo owners.
pub const DEMO_PASSWORD: &str = "demo-password";

pub(super) struct DemoCategory {
    pub(super) slug: &'static str,
    pub(super) name: &'static str,
    pub(super) colour: &'static str,
    /// What one of its goods weighs with its packaging, in grams (for weight-based rates).
    pub(super) unit_weight_grams: u32,
    /// Product name and price in the store's minor units.
    pub(super) products: &'static [(&'static str, i64)],
}

/// A shipping zone: name, destinations (none: everywhere else) and rates (name, kind, price
/// and the subtotal from which it is free, in minor units).
pub(super) struct DemoZone {
    pub(super) name: &'static str,
    pub(super) regions: &'static [&'static str],
    pub(super) rates: &'static [(&'static str, ShippingRateKind, i64, Option<i64>)],
}

pub(super) struct DemoStore {
    pub(super) slug: &'static str,
    pub(super) name: &'static str,
    pub(super) currency: &'static str,
    pub(super) locale: &'static str,
    /// The language its product and category names are written in.
    pub(super) language: &'static str,
    pub(super) primary_color: &'static str,
    pub(super) accent_color: &'static str,
    pub(super) owner: &'static str,
    /// Whether prices include tax, and the rates by country (basis points, receipt name).
    pub(super) prices_include_tax: bool,
    pub(super) tax_rates: &'static [(&'static str, u32, &'static str)],
    /// Discount codes: code, name, basis points off, uses per customer.
    pub(super) discount_codes: &'static [(&'static str, &'static str, u32, Option<u32>)],
    /// Its shipping zones (with `--demo-shipping`).
    pub(super) shipping_zones: &'static [DemoZone],
    /// A sale running since yesterday for a month: its name, basis points off, and products.
    pub(super) sale: Option<(&'static str, i64, &'static [&'static str])>,
    pub(super) categories: &'static [DemoCategory],
}

/// EU VAT standard rates (2026), included in the demo store's prices: what a buyer in each
/// country pays.
const EU_VAT: &[(&str, u32, &str)] = &[
    ("AT", 2000, "USt"),
    ("BE", 2100, "TVA"),
    ("DE", 1900, "MwSt"),
    ("ES", 2100, "IVA"),
    ("FR", 2000, "TVA"),
    ("IE", 2300, "VAT"),
    ("IT", 2200, "IVA"),
    ("LU", 1700, "TVA"),
    ("NL", 2100, "BTW"),
    ("PT", 2300, "IVA"),
];

pub(super) const DEMO_STORES: &[DemoStore] = &[
    DemoStore {
        slug: "demo",
        name: "Colmena Honey Co.",
        currency: "EUR",
        locale: "es-ES",
        language: "en",
        primary_color: "#b45309",
        accent_color: "#fbbf24",
        owner: "owner@demo.test",
        prices_include_tax: true,
        tax_rates: EU_VAT,
        discount_codes: &[("WELCOME10", "Welcome: 10 % off", 1000, Some(1))],
        shipping_zones: &[
            DemoZone {
                name: "Spain",
                regions: &["ES"],
                rates: &[
                    ("Correos", ShippingRateKind::Flat, 390, Some(3500)),
                    ("Courier, next day", ShippingRateKind::Flat, 790, None),
                ],
            },
            DemoZone {
                name: "European Union",
                regions: &["AT", "BE", "DE", "FR", "IE", "IT", "LU", "NL", "PT"],
                rates: &[("Standard (EU)", ShippingRateKind::Flat, 990, Some(7500))],
            },
            DemoZone {
                name: "Everywhere else",
                regions: &[],
                rates: &[(
                    "Collect at the apiary (Madrid)",
                    ShippingRateKind::Pickup,
                    0,
                    None,
                )],
            },
        ],
        sale: Some((
            "Candle week",
            2000,
            &["Pillar Candle Large", "Rolled Taper Pair"],
        )),
        categories: &[
            DemoCategory {
                slug: "honey",
                name: "Honey",
                colour: "#f59e0b",
                unit_weight_grams: 700,
                products: &[
                    ("Wildflower Honey 500 g", 950),
                    ("Orange Blossom Honey 500 g", 1100),
                    ("Rosemary Honey 250 g", 790),
                    ("Chestnut Honey 500 g", 1250),
                    ("Heather Honey 250 g", 1490),
                    ("Raw Comb Honey 400 g", 1890),
                    ("Lavender Honey 500 g", 1150),
                    ("Eucalyptus Honey 1 kg", 1990),
                    ("Honey Tasting Trio", 2490),
                ],
            },
            DemoCategory {
                slug: "beeswax",
                name: "Beeswax & Candles",
                colour: "#d97706",
                unit_weight_grams: 350,
                products: &[
                    ("Pillar Candle Small", 1200),
                    ("Pillar Candle Large", 2200),
                    ("Rolled Taper Pair", 1450),
                    ("Tea Lights (12)", 990),
                    ("Beeswax Food Wraps (3)", 1650),
                    ("Beeswax Lip Balm", 450),
                    ("Wood Polish 150 ml", 1090),
                    ("Hexagon Candle", 1590),
                    ("Candle Making Kit", 3490),
                ],
            },
            DemoCategory {
                slug: "apiary",
                name: "Apiary Tools",
                colour: "#92400e",
                unit_weight_grams: 1200,
                products: &[
                    ("Hive Tool", 1390),
                    ("Bee Brush", 890),
                    ("Smoker, Stainless", 3990),
                    ("Ventilated Jacket", 6490),
                    ("Leather Gloves", 2290),
                    ("Queen Marking Kit", 1790),
                    ("Frame Grips", 1590),
                    ("Uncapping Fork", 790),
                    ("Langstroth Hive Kit", 18900),
                    ("Beekeeping Field Guide (PDF)", 990),
                ],
            },
        ],
    },
    DemoStore {
        slug: "demo-b",
        name: "Marché Sahel",
        currency: "XOF",
        locale: "fr-SN",
        language: "fr",
        primary_color: "#0f766e",
        accent_color: "#f97316",
        owner: "owner@demo-b.test",
        // demo-b charges no tax.
        prices_include_tax: false,
        tax_rates: &[],
        discount_codes: &[],
        shipping_zones: &[
            DemoZone {
                name: "Sénégal",
                regions: &["SN"],
                rates: &[(
                    "Coursier (Dakar)",
                    ShippingRateKind::Flat,
                    1500,
                    Some(50000),
                )],
            },
            DemoZone {
                name: "Afrique de l'Ouest",
                regions: &["BF", "BJ", "CI", "GN", "ML", "NE", "TG"],
                rates: &[("Transporteur", ShippingRateKind::Flat, 6000, None)],
            },
        ],
        sale: None,
        categories: &[
            DemoCategory {
                slug: "tissus",
                name: "Tissus",
                colour: "#0d9488",
                unit_weight_grams: 400,
                products: &[
                    ("Wax imprimé 6 yards", 15000),
                    ("Bazin riche 5 m", 35000),
                    ("Bogolan teint main", 22000),
                    ("Kente tissé", 48000),
                    ("Foulard en coton", 4500),
                    ("Pagne tissé Manjak", 27500),
                    ("Indigo de Kindia", 19500),
                    ("Batik artisanal", 12500),
                ],
            },
            DemoCategory {
                slug: "epices",
                name: "Épices",
                colour: "#ea580c",
                unit_weight_grams: 250,
                products: &[
                    ("Poivre de Selim 100 g", 2500),
                    ("Bissap séché 250 g", 1500),
                    ("Soumbala 200 g", 2000),
                    ("Piment sec 100 g", 1000),
                    ("Gingembre moulu 200 g", 1800),
                    ("Kinkeliba 100 g", 1200),
                    ("Baobab en poudre 250 g", 3000),
                    ("Mélange yassa", 2200),
                    ("Guide des épices du Sahel (PDF)", 3000),
                ],
            },
            DemoCategory {
                slug: "artisanat",
                name: "Artisanat",
                colour: "#7c2d12",
                unit_weight_grams: 900,
                products: &[
                    ("Panier tressé", 9500),
                    ("Calebasse gravée", 7000),
                    ("Masque en bois", 25000),
                    ("Djembé 30 cm", 45000),
                    ("Bracelet en laiton", 5500),
                    ("Sac en cuir", 32000),
                    ("Sandales en cuir", 14000),
                    ("Tapis en paille", 18000),
                ],
            },
        ],
    },
];

/// Units in stock of single-variant demo products; the others are not tracked. The oversell
/// tests rely on "Queen Marking Kit" starting with 10.
pub(super) const DEMO_STOCK: &[(&str, i64)] = &[
    ("Wildflower Honey 500 g", 40),
    ("Orange Blossom Honey 500 g", 25),
    ("Rosemary Honey 250 g", 12),
    ("Chestnut Honey 500 g", 8),
    ("Heather Honey 250 g", 5),
    ("Raw Comb Honey 400 g", 3),
    ("Lavender Honey 500 g", 30),
    ("Eucalyptus Honey 1 kg", 0),
    ("Honey Tasting Trio", 10),
    ("Candle Making Kit", 10),
    ("Queen Marking Kit", 10),
    ("Djembé 30 cm", 4),
    ("Masque en bois", 2),
];

/// A demo product sold in several variants: option name, then value, price and stock.
pub(super) struct DemoVariants {
    pub(super) product: &'static str,
    pub(super) option: &'static str,
    pub(super) values: &'static [(&'static str, i64, Option<i64>)],
}

pub(super) const DEMO_VARIANTS: &[DemoVariants] = &[
    DemoVariants {
        product: "Ventilated Jacket",
        option: "Size",
        values: &[
            ("S", 6490, Some(4)),
            ("M", 6490, Some(6)),
            ("L", 6490, Some(2)),
            ("XL", 6990, Some(0)),
        ],
    },
    DemoVariants {
        product: "Leather Gloves",
        option: "Size",
        values: &[
            ("S", 2290, Some(10)),
            ("M", 2290, Some(10)),
            ("L", 2290, Some(10)),
        ],
    },
    DemoVariants {
        product: "Hexagon Candle",
        option: "Colour",
        values: &[("Natural", 1590, None), ("White", 1690, None)],
    },
    DemoVariants {
        product: "Sandales en cuir",
        option: "Pointure",
        values: &[
            ("40", 14000, Some(5)),
            ("42", 14000, Some(5)),
            ("44", 15000, Some(5)),
        ],
    },
    DemoVariants {
        product: "Foulard en coton",
        option: "Couleur",
        values: &[("Indigo", 4500, None), ("Ocre", 4500, None)],
    },
];

/// Demo products delivered as a download, and their file names.
pub(super) const DEMO_DIGITAL: &[(&str, &str)] = &[
    ("Beekeeping Field Guide (PDF)", "beekeeping-field-guide.pdf"),
    ("Guide des épices du Sahel (PDF)", "guide-epices-sahel.pdf"),
];
