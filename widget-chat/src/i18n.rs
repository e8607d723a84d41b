//! The chat's strings in the widget's five languages (English, French, Spanish, Portuguese,
//! Swahili), chosen as the widget chooses its own: by the element's locale, else the store's,
//! falling back to English. The replies themselves come from the server, in the buyer's
//! language.

/// Every string the chat shows, in one language.
pub struct Strings {
    /// `{name}`: the store's name.
    pub title: &'static str,
    pub greeting: &'static str,
    pub message: &'static str,
    pub send: &'static str,
    pub pay: &'static str,
    pub close: &'static str,
    /// Before each of the buyer's messages, for screen readers.
    pub you: &'static str,
    /// Before each reply, for screen readers.
    pub assistant: &'static str,
    /// Before each reply of the store's staff, for screen readers.
    pub staff: &'static str,
    pub typing: &'static str,
    pub unreachable: &'static str,
    /// `{n}`: why.
    pub failed: &'static str,
    /// The conversation was handed to the store's staff.
    pub handed_over: &'static str,
}

const EN: Strings = Strings {
    title: "Chat with {name}",
    greeting: "Hi! Tell me what you would like and I will put it in your cart. You can also ask what is in your cart, or say that you want to pay.",
    message: "Your message",
    send: "Send",
    pay: "Pay",
    close: "Close",
    you: "You:",
    assistant: "Shop:",
    staff: "Shop team:",
    typing: "Writing…",
    unreachable: "The shop cannot be reached right now. Please try again.",
    failed: "Your message could not be sent: {n}",
    handed_over: "Your message was passed on to the shop: someone will answer here.",
};

const FR: Strings = Strings {
    title: "Discuter avec {name}",
    greeting: "Bonjour ! Dites-moi ce qui vous ferait plaisir et je le mets dans votre panier. Vous pouvez aussi demander ce qu’il contient, ou dire que vous voulez payer.",
    message: "Votre message",
    send: "Envoyer",
    pay: "Payer",
    close: "Fermer",
    you: "Vous :",
    assistant: "Boutique :",
    staff: "Équipe de la boutique :",
    typing: "Rédaction…",
    unreachable: "La boutique est injoignable pour le moment. Réessayez.",
    failed: "Votre message n’a pas pu être envoyé : {n}",
    handed_over: "Votre message a été transmis à la boutique : quelqu’un vous répondra ici.",
};

const ES: Strings = Strings {
    title: "Chatea con {name}",
    greeting: "¡Hola! Dime qué te gustaría y lo pongo en tu carrito. También puedes preguntar qué hay en tu carrito o decir que quieres pagar.",
    message: "Tu mensaje",
    send: "Enviar",
    pay: "Pagar",
    close: "Cerrar",
    you: "Tú:",
    assistant: "Tienda:",
    staff: "Equipo de la tienda:",
    typing: "Escribiendo…",
    unreachable: "No se puede contactar con la tienda ahora mismo. Inténtalo de nuevo.",
    failed: "No se pudo enviar tu mensaje: {n}",
    handed_over: "Tu mensaje se ha pasado a la tienda: alguien te responderá aquí.",
};

const PT: Strings = Strings {
    title: "Converse com {name}",
    greeting: "Olá! Diga-me o que deseja e eu coloco no seu carrinho. Também pode perguntar o que há no carrinho, ou dizer que quer pagar.",
    message: "A sua mensagem",
    send: "Enviar",
    pay: "Pagar",
    close: "Fechar",
    you: "Você:",
    assistant: "Loja:",
    staff: "Equipa da loja:",
    typing: "A escrever…",
    unreachable: "Não é possível contactar a loja neste momento. Tente novamente.",
    failed: "Não foi possível enviar a sua mensagem: {n}",
    handed_over: "A sua mensagem foi encaminhada para a loja: alguém vai responder aqui.",
};

const SW: Strings = Strings {
    title: "Zungumza na {name}",
    greeting: "Habari! Niambie unachotaka nami nitakiweka kwenye kikapu chako. Unaweza pia kuuliza kilichomo kwenye kikapu, au kusema kwamba unataka kulipa.",
    message: "Ujumbe wako",
    send: "Tuma",
    pay: "Lipa",
    close: "Funga",
    you: "Wewe:",
    assistant: "Duka:",
    staff: "Timu ya duka:",
    typing: "Inaandika…",
    unreachable: "Duka halipatikani kwa sasa. Tafadhali jaribu tena.",
    failed: "Ujumbe wako haukuweza kutumwa: {n}",
    handed_over: "Ujumbe wako umepelekwa kwa duka: mtu atakujibu hapa.",
};

/// The language of `locale` (`fr-SN` is French), one of the five; English otherwise.
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

/// `template` with `{placeholder}` replaced by `value` (once).
pub fn fill(template: &str, placeholder: &str, value: &str) -> String {
    match template.split_once(placeholder) {
        Some((before, after)) => [before, value, after].concat(),
        None => template.to_owned(),
    }
}
