//! The widget's UI strings in English, French, Spanish, Portuguese and Swahili (the filters'
//! own are in their bundle, `widget-search`).
//!
//! The language comes from the element's `locale` attribute, else the store's locale (`fr-SN`
//! gives French); anything else falls back to English. Placeholders in braces (`{n}`, `{name}`)
//! are filled by [`fill`].

/// Every string the widget shows, in one language.
pub struct Strings {
    pub loading: &'static str,
    pub load_failed: &'static str,
    pub unreachable: &'static str,
    pub store_missing: &'static str,
    pub retry: &'static str,
    pub products: &'static str,
    pub search: &'static str,
    pub category: &'static str,
    pub all_categories: &'static str,
    pub sort: &'static str,
    pub sort_name: &'static str,
    pub sort_price: &'static str,
    pub sort_price_desc: &'static str,
    pub sort_newest: &'static str,
    pub no_products: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub page_of: &'static str,
    pub load_more: &'static str,
    pub add_to_cart: &'static str,
    pub added: &'static str,
    pub in_stock: &'static str,
    pub only_left: &'static str,
    pub out_of_stock: &'static str,
    pub options: &'static str,
    pub quantity: &'static str,
    pub close: &'static str,
    pub cart: &'static str,
    pub cart_empty: &'static str,
    pub remove: &'static str,
    pub decrease: &'static str,
    pub increase: &'static str,
    pub subtotal: &'static str,
    pub checkout: &'static str,
    pub loading_checkout: &'static str,
    pub offline: &'static str,
    pub price_changed: &'static str,
    pub stock_short: &'static str,
    pub unavailable: &'static str,
    pub insufficient: &'static str,
    pub failed: &'static str,
    pub sort_relevance: &'static str,
    pub filters: &'static str,
    pub clear_filters: &'static str,
    pub results: &'static str,
    /// The chat's launcher, and its panel's name.
    pub chat: &'static str,
}

const EN: Strings = Strings {
    loading: "Loading products…",
    load_failed: "The products could not be loaded. Please try again later.",
    unreachable: "The shop cannot be reached right now. Please try again later.",
    store_missing: "The store \u{201c}{name}\u{201d} does not exist.",
    retry: "Try again",
    products: "{name} products",
    search: "Search products",
    category: "Category",
    all_categories: "All categories",
    sort: "Sort by",
    sort_name: "Name",
    sort_price: "Price: low to high",
    sort_price_desc: "Price: high to low",
    sort_newest: "Newest",
    no_products: "No products match your search.",
    previous: "Previous",
    next: "Next",
    page_of: "Page {n} of {m}",
    load_more: "Load more",
    add_to_cart: "Add to cart",
    added: "Added to your cart.",
    in_stock: "In stock",
    only_left: "Only {n} left",
    out_of_stock: "Out of stock",
    options: "Options",
    quantity: "Quantity",
    close: "Close",
    cart: "Cart",
    cart_empty: "Your cart is empty.",
    remove: "Remove",
    decrease: "One less",
    increase: "One more",
    subtotal: "Subtotal",
    checkout: "Checkout",
    loading_checkout: "Opening the checkout…",
    offline: "The shop cannot be reached. Your cart is saved on this device and will be sent when the shop is back.",
    price_changed: "The price of {name} is now {n}.",
    stock_short: "Only {n} of {name} left: the quantity was lowered.",
    unavailable: "{name} is no longer available.",
    insufficient: "Only {n} left in stock.",
    failed: "Something went wrong: {n}",
    sort_relevance: "Best match",
    filters: "Filters",
    clear_filters: "Clear filters",
    results: "Results: {n}",
    chat: "Chat with us",
};

const FR: Strings = Strings {
    loading: "Chargement des produits…",
    load_failed: "Les produits n’ont pas pu être chargés. Réessayez plus tard.",
    unreachable: "La boutique est injoignable pour le moment. Réessayez plus tard.",
    store_missing: "La boutique « {name} » n’existe pas.",
    retry: "Réessayer",
    products: "Produits de {name}",
    search: "Rechercher des produits",
    category: "Catégorie",
    all_categories: "Toutes les catégories",
    sort: "Trier par",
    sort_name: "Nom",
    sort_price: "Prix croissant",
    sort_price_desc: "Prix décroissant",
    sort_newest: "Nouveautés",
    no_products: "Aucun produit ne correspond à votre recherche.",
    previous: "Précédent",
    next: "Suivant",
    page_of: "Page {n} sur {m}",
    load_more: "Voir plus",
    add_to_cart: "Ajouter au panier",
    added: "Ajouté à votre panier.",
    in_stock: "En stock",
    only_left: "Plus que {n}",
    out_of_stock: "Épuisé",
    options: "Options",
    quantity: "Quantité",
    close: "Fermer",
    cart: "Panier",
    cart_empty: "Votre panier est vide.",
    remove: "Retirer",
    decrease: "Un de moins",
    increase: "Un de plus",
    subtotal: "Sous-total",
    checkout: "Commander",
    loading_checkout: "Ouverture de la commande…",
    offline: "La boutique est injoignable. Votre panier est enregistré sur cet appareil et sera envoyé dès son retour.",
    price_changed: "Le prix de {name} est maintenant {n}.",
    stock_short: "Plus que {n} × {name} : la quantité a été réduite.",
    unavailable: "{name} n’est plus disponible.",
    insufficient: "Plus que {n} en stock.",
    failed: "Une erreur est survenue : {n}",
    sort_relevance: "Pertinence",
    filters: "Filtres",
    clear_filters: "Effacer les filtres",
    results: "Résultats : {n}",
    chat: "Discuter avec nous",
};

const ES: Strings = Strings {
    loading: "Cargando productos…",
    load_failed: "No se pudieron cargar los productos. Inténtalo más tarde.",
    unreachable: "La tienda no está disponible ahora mismo. Inténtalo más tarde.",
    store_missing: "La tienda «{name}» no existe.",
    retry: "Reintentar",
    products: "Productos de {name}",
    search: "Buscar productos",
    category: "Categoría",
    all_categories: "Todas las categorías",
    sort: "Ordenar por",
    sort_name: "Nombre",
    sort_price: "Precio: de menor a mayor",
    sort_price_desc: "Precio: de mayor a menor",
    sort_newest: "Novedades",
    no_products: "Ningún producto coincide con tu búsqueda.",
    previous: "Anterior",
    next: "Siguiente",
    page_of: "Página {n} de {m}",
    load_more: "Ver más",
    add_to_cart: "Añadir al carrito",
    added: "Añadido a tu carrito.",
    in_stock: "En stock",
    only_left: "Solo quedan {n}",
    out_of_stock: "Agotado",
    options: "Opciones",
    quantity: "Cantidad",
    close: "Cerrar",
    cart: "Carrito",
    cart_empty: "Tu carrito está vacío.",
    remove: "Quitar",
    decrease: "Uno menos",
    increase: "Uno más",
    subtotal: "Subtotal",
    checkout: "Pagar pedido",
    loading_checkout: "Abriendo el pago…",
    offline: "No se puede conectar con la tienda. Tu carrito está guardado en este dispositivo y se enviará cuando vuelva.",
    price_changed: "El precio de {name} ahora es {n}.",
    stock_short: "Solo quedan {n} de {name}: se redujo la cantidad.",
    unavailable: "{name} ya no está disponible.",
    insufficient: "Solo quedan {n} en stock.",
    failed: "Algo salió mal: {n}",
    sort_relevance: "Relevancia",
    filters: "Filtros",
    clear_filters: "Borrar filtros",
    results: "Resultados: {n}",
    chat: "Chatea con nosotros",
};

const PT: Strings = Strings {
    loading: "A carregar produtos…",
    load_failed: "Não foi possível carregar os produtos. Tente mais tarde.",
    unreachable: "A loja está inacessível de momento. Tente mais tarde.",
    store_missing: "A loja «{name}» não existe.",
    retry: "Tentar de novo",
    products: "Produtos de {name}",
    search: "Pesquisar produtos",
    category: "Categoria",
    all_categories: "Todas as categorias",
    sort: "Ordenar por",
    sort_name: "Nome",
    sort_price: "Preço: do mais baixo",
    sort_price_desc: "Preço: do mais alto",
    sort_newest: "Novidades",
    no_products: "Nenhum produto corresponde à pesquisa.",
    previous: "Anterior",
    next: "Seguinte",
    page_of: "Página {n} de {m}",
    load_more: "Ver mais",
    add_to_cart: "Adicionar ao carrinho",
    added: "Adicionado ao carrinho.",
    in_stock: "Em stock",
    only_left: "Só restam {n}",
    out_of_stock: "Esgotado",
    options: "Opções",
    quantity: "Quantidade",
    close: "Fechar",
    cart: "Carrinho",
    cart_empty: "O seu carrinho está vazio.",
    remove: "Remover",
    decrease: "Menos um",
    increase: "Mais um",
    subtotal: "Subtotal",
    checkout: "Finalizar compra",
    loading_checkout: "A abrir o pagamento…",
    offline: "A loja está inacessível. O seu carrinho está guardado neste dispositivo e será enviado quando a loja voltar.",
    price_changed: "O preço de {name} passou a {n}.",
    stock_short: "Só restam {n} de {name}: a quantidade foi reduzida.",
    unavailable: "{name} já não está disponível.",
    insufficient: "Só restam {n} em stock.",
    failed: "Algo correu mal: {n}",
    sort_relevance: "Relevância",
    filters: "Filtros",
    clear_filters: "Limpar filtros",
    results: "Resultados: {n}",
    chat: "Fale conosco",
};

const SW: Strings = Strings {
    loading: "Inapakia bidhaa…",
    load_failed: "Bidhaa hazikuweza kupakiwa. Tafadhali jaribu tena baadaye.",
    unreachable: "Duka halipatikani kwa sasa. Tafadhali jaribu tena baadaye.",
    store_missing: "Duka \u{201c}{name}\u{201d} halipo.",
    retry: "Jaribu tena",
    products: "Bidhaa za {name}",
    search: "Tafuta bidhaa",
    category: "Aina",
    all_categories: "Aina zote",
    sort: "Panga kwa",
    sort_name: "Jina",
    sort_price: "Bei: ya chini kwanza",
    sort_price_desc: "Bei: ya juu kwanza",
    sort_newest: "Mpya zaidi",
    no_products: "Hakuna bidhaa inayolingana na utafutaji wako.",
    previous: "Iliyotangulia",
    next: "Inayofuata",
    page_of: "Ukurasa {n} kati ya {m}",
    load_more: "Onyesha zaidi",
    add_to_cart: "Weka kwenye kikapu",
    added: "Imewekwa kwenye kikapu chako.",
    in_stock: "Ipo",
    only_left: "Zimebaki {n} tu",
    out_of_stock: "Imeisha",
    options: "Chaguo",
    quantity: "Idadi",
    close: "Funga",
    cart: "Kikapu",
    cart_empty: "Kikapu chako ni tupu.",
    remove: "Ondoa",
    decrease: "Punguza moja",
    increase: "Ongeza moja",
    subtotal: "Jumla ndogo",
    checkout: "Lipia",
    loading_checkout: "Inafungua malipo…",
    offline: "Duka halipatikani. Kikapu chako kimehifadhiwa kwenye kifaa hiki na kitatumwa duka likirudi.",
    price_changed: "Bei ya {name} sasa ni {n}.",
    stock_short: "Zimebaki {n} tu za {name}: idadi imepunguzwa.",
    unavailable: "{name} haipatikani tena.",
    insufficient: "Zimebaki {n} tu.",
    failed: "Hitilafu imetokea: {n}",
    sort_relevance: "Zinazolingana zaidi",
    filters: "Vichujio",
    clear_filters: "Futa vichujio",
    results: "Matokeo: {n}",
    chat: "Zungumza nasi",
};

/// The language of `locale` (a BCP 47 tag such as `fr-SN`) that the widget has strings for,
/// else `en`; also what the shadow root's `lang` attribute says.
pub fn language(locale: &str) -> &'static str {
    match locale.split(['-', '_']).next().unwrap_or("") {
        "fr" => "fr",
        "es" => "es",
        "pt" => "pt",
        "sw" => "sw",
        _ => "en",
    }
}

/// The strings for `locale`.
pub fn strings(locale: &str) -> &'static Strings {
    match language(locale) {
        "fr" => &FR,
        "es" => &ES,
        "pt" => &PT,
        "sw" => &SW,
        _ => &EN,
    }
}

/// `template` with `{n}`, `{m}` and `{name}` replaced.
///
/// One pass over the template, looking for `{` only: `str::replace` with a text pattern would
/// bring in the two-way substring searcher (wasm size) for three fixed placeholders.
pub fn fill(template: &str, n: &str, m: &str, name: &str) -> String {
    let mut out = String::with_capacity(template.len() + name.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let (value, placeholder) = [("{n}", n), ("{m}", m), ("{name}", name)]
            .into_iter()
            .find_map(|(placeholder, value)| {
                rest.starts_with(placeholder)
                    .then_some((value, placeholder))
            })
            .unwrap_or(("{", "{"));
        out.push_str(value);
        rest = &rest[placeholder.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn placeholders_are_filled_and_other_braces_kept() {
        assert_eq!(
            fill("{n} of {m} in “{name}”, {x} {", "1", "2", "Shop {n}"),
            "1 of 2 in “Shop {n}”, {x} {"
        );
        assert_eq!(fill("no placeholders", "1", "2", "x"), "no placeholders");
    }
}
