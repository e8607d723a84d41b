//! Translations of the demo catalogue: product, category and option names of both demo stores,
//! and the generated description sentence, in the languages a shopper may pick.
//!
//! Store `demo` (Colmena Honey Co.) is written in English and is translated to Spanish and
//! French; store `demo-b` (Marché Sahel) is written in French and is translated to English and
//! Spanish. Each store's ten best sellers and its categories are also in Portuguese and Swahili.
//! Keys are the names and slugs exactly as in `data.rs`; locales are bare language codes.

/// A product's name in other languages: (product name as in data.rs, [(locale, translated name)]).
pub(super) const PRODUCT_NAMES: &[(&str, &[(&str, &str)])] = &[
    // Store `demo`: honey.
    (
        "Wildflower Honey 500 g",
        &[
            ("es", "Miel de milflores 500 g"),
            ("fr", "Miel de fleurs sauvages 500 g"),
            ("pt", "Mel de flores silvestres 500 g"),
            ("sw", "Asali ya maua ya porini 500 g"),
        ],
    ),
    (
        "Orange Blossom Honey 500 g",
        &[
            ("es", "Miel de azahar 500 g"),
            ("fr", "Miel de fleur d'oranger 500 g"),
            ("pt", "Mel de flor de laranjeira 500 g"),
            ("sw", "Asali ya maua ya mchungwa 500 g"),
        ],
    ),
    (
        "Rosemary Honey 250 g",
        &[
            ("es", "Miel de romero 250 g"),
            ("fr", "Miel de romarin 250 g"),
        ],
    ),
    (
        "Chestnut Honey 500 g",
        &[
            ("es", "Miel de castaño 500 g"),
            ("fr", "Miel de châtaignier 500 g"),
        ],
    ),
    (
        "Heather Honey 250 g",
        &[
            ("es", "Miel de brezo 250 g"),
            ("fr", "Miel de bruyère 250 g"),
        ],
    ),
    (
        "Raw Comb Honey 400 g",
        &[
            ("es", "Miel cruda en panal 400 g"),
            ("fr", "Miel brut en rayon 400 g"),
            ("pt", "Mel cru em favo 400 g"),
            ("sw", "Asali mbichi ya sega 400 g"),
        ],
    ),
    (
        "Lavender Honey 500 g",
        &[
            ("es", "Miel de lavanda 500 g"),
            ("fr", "Miel de lavande 500 g"),
            ("pt", "Mel de lavanda 500 g"),
            ("sw", "Asali ya lavenda 500 g"),
        ],
    ),
    (
        "Eucalyptus Honey 1 kg",
        &[
            ("es", "Miel de eucalipto 1 kg"),
            ("fr", "Miel d'eucalyptus 1 kg"),
        ],
    ),
    (
        "Honey Tasting Trio",
        &[
            ("es", "Trío de cata de mieles"),
            ("fr", "Trio de dégustation de miels"),
        ],
    ),
    // Store `demo`: beeswax and candles.
    (
        "Pillar Candle Small",
        &[
            ("es", "Vela de columna pequeña"),
            ("fr", "Petite bougie pilier"),
            ("pt", "Vela de coluna pequena"),
            ("sw", "Mshumaa mdogo wa nguzo"),
        ],
    ),
    (
        "Pillar Candle Large",
        &[
            ("es", "Vela de columna grande"),
            ("fr", "Grande bougie pilier"),
        ],
    ),
    (
        "Rolled Taper Pair",
        &[
            ("es", "Par de velas cónicas enrolladas"),
            ("fr", "Paire de chandelles roulées"),
        ],
    ),
    (
        "Tea Lights (12)",
        &[
            ("es", "Velas de té (12)"),
            ("fr", "Bougies chauffe-plat (12)"),
        ],
    ),
    (
        "Beeswax Food Wraps (3)",
        &[
            ("es", "Envoltorios de cera de abeja (3)"),
            ("fr", "Emballages alimentaires à la cire d'abeille (3)"),
            ("pt", "Embalagens de cera de abelha para alimentos (3)"),
            ("sw", "Vitambaa vya nta ya nyuki vya kufungia chakula (3)"),
        ],
    ),
    (
        "Beeswax Lip Balm",
        &[
            ("es", "Bálsamo labial de cera de abeja"),
            ("fr", "Baume à lèvres à la cire d'abeille"),
            ("pt", "Bálsamo labial de cera de abelha"),
            ("sw", "Mafuta ya midomo ya nta ya nyuki"),
        ],
    ),
    (
        "Wood Polish 150 ml",
        &[
            ("es", "Abrillantador para madera 150 ml"),
            ("fr", "Cire pour bois 150 ml"),
        ],
    ),
    (
        "Hexagon Candle",
        &[("es", "Vela hexagonal"), ("fr", "Bougie hexagonale")],
    ),
    (
        "Candle Making Kit",
        &[
            ("es", "Kit para hacer velas"),
            ("fr", "Kit de fabrication de bougies"),
        ],
    ),
    // Store `demo`: apiary tools.
    (
        "Hive Tool",
        &[
            ("es", "Espátula de apicultor"),
            ("fr", "Lève-cadre"),
            ("pt", "Formão apícola"),
            ("sw", "Patasi ya mzinga"),
        ],
    ),
    (
        "Bee Brush",
        &[("es", "Cepillo para abejas"), ("fr", "Brosse à abeilles")],
    ),
    (
        "Smoker, Stainless",
        &[
            ("es", "Ahumador de acero inoxidable"),
            ("fr", "Enfumoir en inox"),
        ],
    ),
    (
        "Ventilated Jacket",
        &[
            ("es", "Chaqueta ventilada"),
            ("fr", "Vareuse ventilée"),
            ("pt", "Jaqueta ventilada"),
            ("sw", "Jaketi yenye matundu ya hewa"),
        ],
    ),
    (
        "Leather Gloves",
        &[("es", "Guantes de cuero"), ("fr", "Gants en cuir")],
    ),
    (
        "Queen Marking Kit",
        &[
            ("es", "Kit de marcaje de reinas"),
            ("fr", "Kit de marquage des reines"),
        ],
    ),
    (
        "Frame Grips",
        &[("es", "Pinzas para cuadros"), ("fr", "Pince à cadres")],
    ),
    (
        "Uncapping Fork",
        &[
            ("es", "Tenedor desoperculador"),
            ("fr", "Fourchette à désoperculer"),
        ],
    ),
    (
        "Langstroth Hive Kit",
        &[
            ("es", "Kit de colmena Langstroth"),
            ("fr", "Kit de ruche Langstroth"),
        ],
    ),
    (
        "Beekeeping Field Guide (PDF)",
        &[
            ("es", "Guía práctica de apicultura (PDF)"),
            ("fr", "Guide pratique d'apiculture (PDF)"),
            ("pt", "Guia prático de apicultura (PDF)"),
            ("sw", "Mwongozo wa ufugaji nyuki (PDF)"),
        ],
    ),
    // Store `demo-b`: fabrics.
    (
        "Wax imprimé 6 yards",
        &[
            ("en", "Wax print fabric 6 yards"),
            ("es", "Tela wax estampada 6 yards"),
            ("pt", "Tecido wax estampado 6 yards"),
            ("sw", "Kitenge cha wax 6 yards"),
        ],
    ),
    (
        "Bazin riche 5 m",
        &[
            ("en", "Bazin riche fabric 5 m"),
            ("es", "Tela Bazin riche 5 m"),
            ("pt", "Tecido Bazin riche 5 m"),
            ("sw", "Kitambaa cha Bazin riche 5 m"),
        ],
    ),
    (
        "Bogolan teint main",
        &[
            ("en", "Hand-dyed Bogolan"),
            ("es", "Bogolan teñido a mano"),
            ("pt", "Bogolan tingido à mão"),
            ("sw", "Bogolan iliyotiwa rangi kwa mkono"),
        ],
    ),
    (
        "Kente tissé",
        &[("en", "Handwoven Kente"), ("es", "Kente tejido a mano")],
    ),
    (
        "Foulard en coton",
        &[
            ("en", "Cotton scarf"),
            ("es", "Pañuelo de algodón"),
            ("pt", "Lenço de algodão"),
            ("sw", "Skafu ya pamba"),
        ],
    ),
    (
        "Pagne tissé Manjak",
        &[("en", "Woven Manjak wrapper"), ("es", "Paño tejido Manjak")],
    ),
    (
        "Indigo de Kindia",
        &[("en", "Kindia indigo"), ("es", "Índigo de Kindia")],
    ),
    (
        "Batik artisanal",
        &[("en", "Handmade batik"), ("es", "Batik artesanal")],
    ),
    // Store `demo-b`: spices.
    (
        "Poivre de Selim 100 g",
        &[
            ("en", "Grains of Selim 100 g"),
            ("es", "Pimienta de Selim 100 g"),
        ],
    ),
    (
        "Bissap séché 250 g",
        &[
            ("en", "Dried bissap 250 g"),
            ("es", "Bissap seco 250 g"),
            ("pt", "Bissap seco 250 g"),
            ("sw", "Bissap kavu 250 g"),
        ],
    ),
    (
        "Soumbala 200 g",
        &[("en", "Soumbala 200 g"), ("es", "Soumbala 200 g")],
    ),
    (
        "Piment sec 100 g",
        &[("en", "Dried chilli 100 g"), ("es", "Chile seco 100 g")],
    ),
    (
        "Gingembre moulu 200 g",
        &[
            ("en", "Ground ginger 200 g"),
            ("es", "Jengibre molido 200 g"),
        ],
    ),
    (
        "Kinkeliba 100 g",
        &[
            ("en", "Kinkeliba leaves 100 g"),
            ("es", "Hojas de kinkeliba 100 g"),
            ("pt", "Folhas de kinkeliba 100 g"),
            ("sw", "Majani ya kinkeliba 100 g"),
        ],
    ),
    (
        "Baobab en poudre 250 g",
        &[
            ("en", "Baobab powder 250 g"),
            ("es", "Baobab en polvo 250 g"),
            ("pt", "Baobá em pó 250 g"),
            ("sw", "Unga wa ubuyu 250 g"),
        ],
    ),
    (
        "Mélange yassa",
        &[
            ("en", "Yassa spice mix"),
            ("es", "Mezcla de especias para yassa"),
        ],
    ),
    (
        "Guide des épices du Sahel (PDF)",
        &[
            ("en", "Sahel spice guide (PDF)"),
            ("es", "Guía de especias del Sahel (PDF)"),
        ],
    ),
    // Store `demo-b`: crafts.
    (
        "Panier tressé",
        &[
            ("en", "Woven basket"),
            ("es", "Cesta trenzada"),
            ("pt", "Cesto trançado"),
            ("sw", "Kikapu kilichosukwa"),
        ],
    ),
    (
        "Calebasse gravée",
        &[("en", "Engraved calabash"), ("es", "Calabaza grabada")],
    ),
    (
        "Masque en bois",
        &[("en", "Wooden mask"), ("es", "Máscara de madera")],
    ),
    (
        "Djembé 30 cm",
        &[
            ("en", "Djembé drum 30 cm"),
            ("es", "Tambor djembé 30 cm"),
            ("pt", "Tambor djembé 30 cm"),
            ("sw", "Ngoma ya djembé 30 cm"),
        ],
    ),
    (
        "Bracelet en laiton",
        &[("en", "Brass bracelet"), ("es", "Pulsera de latón")],
    ),
    (
        "Sac en cuir",
        &[("en", "Leather bag"), ("es", "Bolso de cuero")],
    ),
    (
        "Sandales en cuir",
        &[
            ("en", "Leather sandals"),
            ("es", "Sandalias de cuero"),
            ("pt", "Sandálias de couro"),
            ("sw", "Sandali za ngozi"),
        ],
    ),
    (
        "Tapis en paille",
        &[("en", "Straw mat"), ("es", "Estera de paja")],
    ),
];

/// A category's name in other languages: (category slug as in data.rs, [(locale, name)]).
pub(super) const CATEGORY_NAMES: &[(&str, &[(&str, &str)])] = &[
    // Store `demo`.
    (
        "honey",
        &[
            ("es", "Miel"),
            ("fr", "Miel"),
            ("pt", "Mel"),
            ("sw", "Asali"),
        ],
    ),
    (
        "beeswax",
        &[
            ("es", "Cera de abeja y velas"),
            ("fr", "Cire d'abeille et bougies"),
            ("pt", "Cera de abelha e velas"),
            ("sw", "Nta ya nyuki na mishumaa"),
        ],
    ),
    (
        "apiary",
        &[
            ("es", "Herramientas apícolas"),
            ("fr", "Outils d'apiculture"),
            ("pt", "Ferramentas apícolas"),
            ("sw", "Vifaa vya ufugaji nyuki"),
        ],
    ),
    // Store `demo-b`.
    (
        "tissus",
        &[
            ("en", "Fabrics"),
            ("es", "Telas"),
            ("pt", "Tecidos"),
            ("sw", "Vitambaa"),
        ],
    ),
    (
        "epices",
        &[
            ("en", "Spices"),
            ("es", "Especias"),
            ("pt", "Especiarias"),
            ("sw", "Viungo"),
        ],
    ),
    (
        "artisanat",
        &[
            ("en", "Crafts"),
            ("es", "Artesanía"),
            ("pt", "Artesanato"),
            ("sw", "Kazi za mikono"),
        ],
    ),
];

/// Option names in other languages: (option name as in data.rs, [(locale, name)]).
pub(super) const OPTION_NAMES: &[(&str, &[(&str, &str)])] = &[
    (
        "Size",
        &[
            ("es", "Talla"),
            ("fr", "Taille"),
            ("pt", "Tamanho"),
            ("sw", "Saizi"),
        ],
    ),
    (
        "Colour",
        &[
            ("es", "Color"),
            ("fr", "Couleur"),
            ("pt", "Cor"),
            ("sw", "Rangi"),
        ],
    ),
    (
        "Pointure",
        &[
            ("en", "Size"),
            ("es", "Número"),
            ("pt", "Número"),
            ("sw", "Saizi"),
        ],
    ),
    (
        "Couleur",
        &[
            ("en", "Colour"),
            ("es", "Color"),
            ("pt", "Cor"),
            ("sw", "Rangi"),
        ],
    ),
];

/// The demo description sentence per language, with `{name}`, `{store}` and `{category}` placeholders
/// (category lower-cased where the language lower-cases common nouns).
pub(super) const DESCRIPTIONS: &[(&str, &str)] = &[
    ("en", "{name} from {store}, in our {category} collection."),
    (
        "es",
        "{name} de {store}, en nuestra colección de {category}.",
    ),
    ("fr", "{name} de {store}, dans notre collection {category}."),
    ("pt", "{name} de {store}, na nossa coleção de {category}."),
    (
        "sw",
        "{name} kutoka {store}, katika mkusanyiko wetu wa {category}.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::data::{DEMO_STORES, DEMO_VARIANTS};

    type Table = &'static [(&'static str, &'static [(&'static str, &'static str)])];

    /// The locales `table` gives for `key`, in order; empty when the key is missing.
    fn locales(table: Table, key: &str) -> Vec<&'static str> {
        table
            .iter()
            .filter(|(name, _)| *name == key)
            .flat_map(|(_, names)| names.iter().map(|(locale, _)| *locale))
            .collect()
    }

    /// The locales every product and category of a store must have.
    fn required_locales(store: &str) -> &'static [&'static str] {
        match store {
            "demo" => &["es", "fr"],
            "demo-b" => &["en", "es"],
            other => panic!("no translations planned for demo store {other}"),
        }
    }

    fn product_names() -> Vec<&'static str> {
        DEMO_STORES
            .iter()
            .flat_map(|store| store.categories.iter())
            .flat_map(|category| category.products.iter().map(|(name, _)| *name))
            .collect()
    }

    #[test]
    fn keys_are_real_products_categories_and_options() {
        let products = product_names();
        let categories: Vec<&str> = DEMO_STORES
            .iter()
            .flat_map(|store| store.categories.iter().map(|category| category.slug))
            .collect();
        let options: Vec<&str> = DEMO_VARIANTS.iter().map(|spec| spec.option).collect();
        for (table, known, what) in [
            (PRODUCT_NAMES, &products, "product"),
            (CATEGORY_NAMES, &categories, "category"),
            (OPTION_NAMES, &options, "option"),
        ] {
            for (index, (key, _)) in table.iter().enumerate() {
                assert!(
                    known.contains(key),
                    "{what} {key:?} is not in the demo data"
                );
                assert!(
                    table[..index].iter().all(|(earlier, _)| earlier != key),
                    "{what} {key:?} is listed twice"
                );
            }
        }
        for option in &options {
            assert!(
                OPTION_NAMES.iter().any(|(key, _)| key == option),
                "option {option:?} has no translations"
            );
        }
    }

    #[test]
    fn translations_are_non_empty_and_not_repeated() {
        for table in [PRODUCT_NAMES, CATEGORY_NAMES, OPTION_NAMES] {
            for (key, names) in table {
                for (index, (locale, name)) in names.iter().enumerate() {
                    assert!(
                        !name.trim().is_empty(),
                        "{key:?} has an empty {locale} name"
                    );
                    assert!(
                        DESCRIPTIONS.iter().any(|(known, _)| known == locale),
                        "{key:?} uses locale {locale:?}, which has no description sentence"
                    );
                    assert!(
                        names[..index].iter().all(|(earlier, _)| earlier != locale),
                        "{key:?} gives {locale} twice"
                    );
                }
            }
        }
    }

    #[test]
    fn every_product_and_category_has_the_store_languages() {
        for store in DEMO_STORES {
            for category in store.categories {
                let category_locales = locales(CATEGORY_NAMES, category.slug);
                for locale in required_locales(store.slug).iter().chain(&["pt", "sw"]) {
                    assert!(
                        category_locales.contains(locale),
                        "category {:?} of {} has no {locale} name",
                        category.slug,
                        store.slug
                    );
                }
                for (product, _) in category.products {
                    let product_locales = locales(PRODUCT_NAMES, product);
                    for locale in required_locales(store.slug) {
                        assert!(
                            product_locales.contains(locale),
                            "product {product:?} of {} has no {locale} name",
                            store.slug
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn ten_best_sellers_per_store_have_portuguese_and_swahili() {
        for store in DEMO_STORES {
            let covered = store
                .categories
                .iter()
                .flat_map(|category| category.products.iter())
                .filter(|(product, _)| {
                    let product_locales = locales(PRODUCT_NAMES, product);
                    product_locales.contains(&"pt") && product_locales.contains(&"sw")
                })
                .count();
            assert!(
                covered >= 10,
                "only {covered} products of {} have pt and sw names",
                store.slug
            );
        }
    }

    #[test]
    fn options_have_their_languages() {
        for (option, required) in [
            ("Size", ["es", "fr", "pt", "sw"]),
            ("Colour", ["es", "fr", "pt", "sw"]),
            ("Pointure", ["en", "es", "pt", "sw"]),
            ("Couleur", ["en", "es", "pt", "sw"]),
        ] {
            let option_locales = locales(OPTION_NAMES, option);
            for locale in required {
                assert!(
                    option_locales.contains(&locale),
                    "option {option:?} has no {locale} name"
                );
            }
        }
    }

    #[test]
    fn descriptions_have_every_placeholder() {
        for language in ["en", "es", "fr", "pt", "sw"] {
            let sentence = DESCRIPTIONS
                .iter()
                .find(|(locale, _)| *locale == language)
                .map(|(_, sentence)| *sentence)
                .unwrap_or_else(|| panic!("no {language} description sentence"));
            for placeholder in ["{name}", "{store}", "{category}"] {
                assert!(
                    sentence.contains(placeholder),
                    "{language} description lacks {placeholder}"
                );
            }
        }
        assert_eq!(
            DESCRIPTIONS
                .iter()
                .find(|(locale, _)| *locale == "en")
                .map(|(_, s)| *s),
            Some("{name} from {store}, in our {category} collection.")
        );
    }
}
