#![doc = include_str!("../README.md")]

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{
    parse_macro_input, Data, DeriveInput, Error, Fields, GenericParam, Ident, LitStr, Meta, Path,
    Result,
};

/// Implements `colmena_sdk::json::Decode` from the type's serde attributes (see the crate
/// documentation for the ones it follows).
#[proc_macro_derive(Decode, attributes(serde))]
pub fn derive_decode(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input)
        .unwrap_or_else(Error::into_compile_error)
        .into()
}

/// The serde container attributes that matter to decoding.
#[derive(Default)]
struct Container {
    rename_all: Option<Case>,
    deny_unknown_fields: bool,
    transparent: bool,
    /// `try_from` (fallible) or `from`: decode the other type, then convert.
    via: Option<(Path, bool)>,
    tagged: bool,
}

/// How a struct member is decoded.
struct Member {
    ident: Ident,
    name: String,
    absent: Absent,
}

/// What an absent member becomes.
enum Absent {
    /// An error, unless the type has a value for absence (`Option`: `None`).
    Required,
    /// `Default::default()`.
    Default,
    /// The named function's value.
    DefaultWith(Path),
    /// `None`, while `null` is `Some(None)` (`deserialize_with = "explicit_null"`).
    ExplicitNull,
    /// Never read: always the default (`skip`, `skip_deserializing`).
    Skipped,
}

#[derive(Clone, Copy)]
enum Case {
    Camel,
    Snake,
    Lower,
    ScreamingSnake,
}

fn expand(input: &DeriveInput) -> Result<TokenStream> {
    let container = container_attributes(input)?;
    let body = if let Some((source, fallible)) = &container.via {
        let convert = if *fallible {
            quote!(<Self as ::core::convert::TryFrom<#source>>::try_from(value)
                .map_err(|error| json.invalid(error)))
        } else {
            quote!(::core::result::Result::Ok(<Self as ::core::convert::From<#source>>::from(value)))
        };
        quote! {
            let value = <#source as ::colmena_sdk::json::Decode>::decode(json)?;
            #convert
        }
    } else if container.tagged {
        return Err(Error::new(
            Span::call_site(),
            "Decode reads a tagged enum only through `try_from` or `from`",
        ));
    } else {
        match &input.data {
            Data::Struct(data) => struct_body(&data.fields, &container)?,
            Data::Enum(data) => enum_body(data, &container)?,
            Data::Union(_) => return Err(Error::new(Span::call_site(), "unions are not decoded")),
        }
    };

    let name = &input.ident;
    let mut generics = input.generics.clone();
    for param in &mut generics.params {
        if let GenericParam::Type(param) = param {
            param
                .bounds
                .push(syn::parse_quote!(::colmena_sdk::json::Decode));
        }
    }
    let (impl_generics, type_generics, where_clause) = generics.split_for_impl();
    Ok(quote! {
        impl #impl_generics ::colmena_sdk::json::Decode for #name #type_generics #where_clause {
            fn decode(
                json: &mut ::colmena_sdk::json::Reader<'_>,
            ) -> ::core::result::Result<Self, ::colmena_sdk::json::DecodeError> {
                #body
            }
        }
    })
}

fn struct_body(fields: &Fields, container: &Container) -> Result<TokenStream> {
    let named = match fields {
        Fields::Named(named) => named,
        Fields::Unnamed(unnamed) if container.transparent && unnamed.unnamed.len() == 1 => {
            return Ok(quote!(::core::result::Result::Ok(Self(
                ::colmena_sdk::json::Decode::decode(json)?
            ))));
        }
        Fields::Unit => return Ok(quote!(json.skip()?; ::core::result::Result::Ok(Self))),
        Fields::Unnamed(_) => {
            return Err(Error::new(
                Span::call_site(),
                "Decode reads tuple structs only with `transparent`",
            ))
        }
    };
    if container.transparent {
        let field = named.named.first().and_then(|f| f.ident.as_ref());
        return match (field, named.named.len()) {
            (Some(field), 1) => Ok(quote!(::core::result::Result::Ok(Self {
                #field: ::colmena_sdk::json::Decode::decode(json)?
            }))),
            _ => Err(Error::new(
                Span::call_site(),
                "`transparent` needs exactly one field",
            )),
        };
    }

    let mut members = Vec::new();
    for field in &named.named {
        let ident = field
            .ident
            .clone()
            .ok_or_else(|| Error::new(Span::call_site(), "named fields have names"))?;
        members.push(member(field, ident, container.rename_all)?);
    }
    let read: Vec<&Member> = members
        .iter()
        .filter(|m| !matches!(m.absent, Absent::Skipped))
        .collect();
    let slot = |m: &Member| format_ident!("slot_{}", m.ident);
    let slots: Vec<Ident> = read.iter().map(|m| slot(m)).collect();
    let names: Vec<&String> = read.iter().map(|m| &m.name).collect();
    let deny_unknown = container.deny_unknown_fields;
    let required_flags = read.iter().map(|m| matches!(m.absent, Absent::Required));
    // Required members are matched all at once, so that a missing one is a single error path
    // (rather than one per member, each dropping every other member: quadratic code).
    let required: Vec<&Member> = read
        .iter()
        .copied()
        .filter(|m| matches!(m.absent, Absent::Required))
        .collect();
    let required_slots: Vec<Ident> = required.iter().map(|m| slot(m)).collect();
    let values = members.iter().map(|m| {
        let ident = &m.ident;
        let slot = slot(m);
        let value = match &m.absent {
            Absent::Required | Absent::ExplicitNull => quote!(#slot),
            Absent::Default => quote!(#slot.unwrap_or_default()),
            Absent::DefaultWith(path) => quote!(#slot.unwrap_or_else(#path)),
            Absent::Skipped => quote!(::core::default::Default::default()),
        };
        quote!(#ident: #value)
    });
    // Each member is read through its slot as a `dyn Slot`: the code that decodes a type
    // exists once per type, not once per member.
    Ok(quote! {
        #(let mut #slots = ::core::option::Option::None;)*
        json.members(
            &[#(#names),*],
            &[#(#required_flags),*],
            #deny_unknown,
            &mut [#(&mut #slots as &mut dyn ::colmena_sdk::json::Slot),*],
        )?;
        // Present, or checked by `members` to have a value for absence (`Option`: `None`).
        #(let #required_slots = ::colmena_sdk::json::or_absent(#required_slots);)*
        match (#(#required_slots,)*) {
            (#(::core::option::Option::Some(#required_slots),)*) => {
                ::core::result::Result::Ok(Self { #(#values),* })
            }
            #[allow(unreachable_patterns)]
            _ => ::core::result::Result::Err(json.invalid("missing member")),
        }
    })
}

fn enum_body(data: &syn::DataEnum, container: &Container) -> Result<TokenStream> {
    let mut arms = Vec::new();
    let mut names = Vec::new();
    let mut fallback = None;
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            return Err(Error::new_spanned(
                variant,
                "Decode reads enums with data only through `try_from` or `from`",
            ));
        }
        let ident = &variant.ident;
        let mut name = rename(&ident.to_string(), container.rename_all, true);
        for meta in serde_metas(&variant.attrs)? {
            match &meta {
                Meta::NameValue(nv) if nv.path.is_ident("rename") => {
                    name = string_value(&nv.value)?
                }
                Meta::Path(path) if path.is_ident("other") => fallback = Some(ident.clone()),
                _ => return Err(unsupported(&meta)),
            }
        }
        arms.push(quote!(#name => Self::#ident));
        names.push(name);
    }
    let otherwise = match fallback {
        Some(ident) => quote!(_ => Self::#ident),
        None => quote!(other => return ::core::result::Result::Err(
            json.unknown_variant(other, &[#(#names),*])
        )),
    };
    Ok(quote! {
        let name = json.string()?;
        ::core::result::Result::Ok(match name.as_str() {
            #(#arms,)*
            #otherwise,
        })
    })
}

fn member(field: &syn::Field, ident: Ident, case: Option<Case>) -> Result<Member> {
    let mut name = rename(&ident.to_string(), case, false);
    let mut absent = Absent::Required;
    for meta in serde_metas(&field.attrs)? {
        match &meta {
            Meta::NameValue(nv) if nv.path.is_ident("rename") => name = string_value(&nv.value)?,
            Meta::Path(path) if path.is_ident("default") => absent = Absent::Default,
            Meta::NameValue(nv) if nv.path.is_ident("default") => {
                absent = Absent::DefaultWith(syn::parse_str(&string_value(&nv.value)?)?)
            }
            Meta::NameValue(nv) if nv.path.is_ident("deserialize_with") => {
                if string_value(&nv.value)? != "explicit_null" {
                    return Err(unsupported(&meta));
                }
                absent = Absent::ExplicitNull;
            }
            Meta::Path(path) if path.is_ident("skip") || path.is_ident("skip_deserializing") => {
                absent = Absent::Skipped
            }
            Meta::NameValue(nv)
                if nv.path.is_ident("skip_serializing_if")
                    || nv.path.is_ident("serialize_with") => {}
            Meta::Path(path) if path.is_ident("skip_serializing") => {}
            _ => return Err(unsupported(&meta)),
        }
    }
    Ok(Member {
        ident,
        name,
        absent,
    })
}

fn container_attributes(input: &DeriveInput) -> Result<Container> {
    let mut container = Container::default();
    for meta in serde_metas(&input.attrs)? {
        match &meta {
            Meta::NameValue(nv) if nv.path.is_ident("rename_all") => {
                let value = string_value(&nv.value)?;
                container.rename_all = Some(match value.as_str() {
                    "camelCase" => Case::Camel,
                    "snake_case" => Case::Snake,
                    "lowercase" => Case::Lower,
                    "SCREAMING_SNAKE_CASE" => Case::ScreamingSnake,
                    _ => return Err(unsupported(&meta)),
                });
            }
            Meta::Path(path) if path.is_ident("deny_unknown_fields") => {
                container.deny_unknown_fields = true
            }
            Meta::Path(path) if path.is_ident("transparent") => container.transparent = true,
            Meta::NameValue(nv) if nv.path.is_ident("try_from") || nv.path.is_ident("from") => {
                let source = syn::parse_str(&string_value(&nv.value)?)?;
                container.via = Some((source, nv.path.is_ident("try_from")));
            }
            Meta::NameValue(nv) if nv.path.is_ident("tag") => container.tagged = true,
            // Names of the type, and of the fields of enum variants, which are only ever
            // decoded through `try_from`/`from`.
            Meta::NameValue(nv)
                if nv.path.is_ident("rename") || nv.path.is_ident("rename_all_fields") => {}
            _ => return Err(unsupported(&meta)),
        }
    }
    Ok(container)
}

/// The items of every `#[serde(…)]` attribute.
fn serde_metas(attrs: &[syn::Attribute]) -> Result<Vec<Meta>> {
    let mut metas = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let items = attr.parse_args_with(
            syn::punctuated::Punctuated::<Meta, syn::Token![,]>::parse_terminated,
        )?;
        metas.extend(items);
    }
    Ok(metas)
}

fn string_value(expr: &syn::Expr) -> Result<String> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        }) => Ok(LitStr::value(lit)),
        _ => Err(Error::new_spanned(expr, "expected a string")),
    }
}

fn unsupported(meta: &Meta) -> Error {
    Error::new_spanned(
        meta,
        "Decode does not follow this serde attribute; implement Decode by hand",
    )
}

/// The JSON name of a field (`snake_case` ident) or variant (`PascalCase` ident).
fn rename(ident: &str, case: Option<Case>, variant: bool) -> String {
    let ident = ident.strip_prefix("r#").unwrap_or(ident);
    let Some(case) = case else {
        return ident.to_owned();
    };
    // Words, lower case.
    let words: Vec<String> = if variant {
        let mut words = Vec::new();
        for c in ident.chars() {
            if c.is_uppercase() || words.is_empty() {
                words.push(String::new());
            }
            if let Some(word) = words.last_mut() {
                word.extend(c.to_lowercase());
            }
        }
        words
    } else {
        ident.split('_').map(str::to_owned).collect()
    };
    match case {
        Case::Lower => words.concat(),
        Case::Snake => words.join("_"),
        Case::ScreamingSnake => words.join("_").to_uppercase(),
        Case::Camel => words
            .iter()
            .enumerate()
            .map(|(i, word)| {
                let mut chars = word.chars();
                match chars.next() {
                    Some(first) if i > 0 => first.to_uppercase().chain(chars).collect(),
                    _ => word.clone(),
                }
            })
            .collect(),
    }
}
