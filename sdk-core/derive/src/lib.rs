#![doc = include_str!("../README.md")]

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{
    parse_macro_input, Data, DeriveInput, Error, Fields, GenericParam, Ident, Meta, Path, Result,
};

/// Implements `colmena_sdk::json::Decode` from the type's serde attributes (see the crate
/// documentation for the ones it follows).
#[proc_macro_derive(Decode, attributes(serde))]
pub fn derive_decode(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand_decode(&input)
        .unwrap_or_else(Error::into_compile_error)
        .into()
}

/// Implements `colmena_sdk::json::Encode` from the type's serde attributes (see the crate
/// documentation for the ones it follows).
#[proc_macro_derive(Encode, attributes(serde))]
pub fn derive_encode(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand_encode(&input)
        .unwrap_or_else(Error::into_compile_error)
        .into()
}

/// The serde container attributes either derive follows.
#[derive(Default)]
struct Container {
    rename_all: Option<Case>,
    rename_all_fields: Option<Case>,
    deny_unknown_fields: bool,
    transparent: bool,
    /// `try_from` (fallible) or `from`: decode the other type, then convert.
    decode_via: Option<(Path, bool)>,
    tag: Option<String>,
}

/// A struct member (or a field of an enum variant).
struct Member {
    ident: Ident,
    name: String,
    absent: Absent,
    /// `skip_serializing_if`: the predicate that leaves the member out.
    omit_if: Option<Path>,
    /// Never written (`skip`, `skip_serializing`).
    unwritten: bool,
    flatten: bool,
    /// The type is written `Option<…>`: absent reads as `None`, as serde reads it.
    optional: bool,
}

/// What an absent member becomes when decoding.
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

/// A unit variant, or a variant with named fields.
struct Variant {
    ident: Ident,
    name: String,
    other: bool,
    fields: Option<Vec<Member>>,
}

#[derive(Clone, Copy)]
enum Case {
    Camel,
    Snake,
    Lower,
    ScreamingSnake,
}

fn expand_decode(input: &DeriveInput) -> Result<TokenStream> {
    let container = container(input)?;
    let body = if let Some((source, fallible)) = &container.decode_via {
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
    } else if container.tag.is_some() {
        return Err(Error::new(
            Span::call_site(),
            "Decode reads a tagged enum only through `try_from` or `from`",
        ));
    } else {
        match &input.data {
            Data::Struct(data) => decode_struct(&data.fields, &container)?,
            Data::Enum(data) => decode_enum(data, &container)?,
            Data::Union(_) => return Err(Error::new(Span::call_site(), "unions are not decoded")),
        }
    };
    Ok(implement(
        input,
        quote!(::colmena_sdk::json::Decode),
        quote! {
            fn decode(
                json: &mut ::colmena_sdk::json::Reader<'_>,
            ) -> ::core::result::Result<Self, ::colmena_sdk::json::DecodeError> {
                #body
            }
        },
    ))
}

fn expand_encode(input: &DeriveInput) -> Result<TokenStream> {
    let container = container(input)?;
    let (encode, members) = match &input.data {
        Data::Struct(data) => match (&data.fields, container.transparent) {
            (Fields::Unnamed(fields), true) if fields.unnamed.len() == 1 => (
                quote!(::colmena_sdk::json::Encode::encode(&self.0, out)),
                None,
            ),
            (Fields::Named(_), true) => {
                let member = named_members(&data.fields, container.rename_all)?;
                let ident = match member.as_slice() {
                    [member] => &member.ident,
                    _ => {
                        return Err(Error::new(
                            Span::call_site(),
                            "`transparent` needs one field",
                        ))
                    }
                };
                (
                    quote!(::colmena_sdk::json::Encode::encode(&self.#ident, out)),
                    None,
                )
            }
            (Fields::Named(_), false) => {
                let members = named_members(&data.fields, container.rename_all)?;
                let write = write_members(&members, |ident| quote!(&self.#ident));
                (
                    quote! {
                        out.open_object();
                        ::colmena_sdk::json::Encode::encode_members(self, out);
                        out.close_object();
                    },
                    Some(write),
                )
            }
            (Fields::Unit, _) => (quote!(out.open_object(); out.close_object();), None),
            (Fields::Unnamed(_), _) => {
                return Err(Error::new(
                    Span::call_site(),
                    "Encode writes tuple structs only with `transparent`",
                ))
            }
        },
        Data::Enum(data) => (encode_enum(data, &container)?, None),
        Data::Union(_) => return Err(Error::new(Span::call_site(), "unions are not encoded")),
    };
    let members = members.map(|write| {
        quote! {
            fn encode_members(&self, out: &mut ::colmena_sdk::json::Writer) {
                #write
            }
        }
    });
    Ok(implement(
        input,
        quote!(::colmena_sdk::json::Encode),
        quote! {
            fn encode(&self, out: &mut ::colmena_sdk::json::Writer) {
                #encode
            }
            #members
        },
    ))
}

/// `impl Trait for Type` with `Trait` bounds on the type parameters.
fn implement(input: &DeriveInput, bound: TokenStream, items: TokenStream) -> TokenStream {
    let name = &input.ident;
    let mut generics = input.generics.clone();
    for param in &mut generics.params {
        if let GenericParam::Type(param) = param {
            param.bounds.push(syn::parse_quote!(#bound));
        }
    }
    let (impl_generics, type_generics, where_clause) = generics.split_for_impl();
    quote! {
        impl #impl_generics #bound for #name #type_generics #where_clause {
            #items
        }
    }
}

fn decode_struct(fields: &Fields, container: &Container) -> Result<TokenStream> {
    match fields {
        Fields::Named(_) => {}
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
    }
    let members = named_members(fields, container.rename_all)?;
    if let Some(member) = members.iter().find(|m| m.flatten) {
        return Err(Error::new_spanned(
            &member.ident,
            "Decode does not follow `flatten`; implement Decode by hand",
        ));
    }
    if container.transparent {
        return match members.as_slice() {
            [member] => {
                let ident = &member.ident;
                Ok(quote!(::core::result::Result::Ok(Self {
                    #ident: ::colmena_sdk::json::Decode::decode(json)?
                })))
            }
            _ => Err(Error::new(
                Span::call_site(),
                "`transparent` needs one field",
            )),
        };
    }

    let read: Vec<&Member> = members
        .iter()
        .filter(|m| !matches!(m.absent, Absent::Skipped))
        .collect();
    if read.len() > 64 {
        return Err(Error::new(
            Span::call_site(),
            "Decode reads at most 64 members",
        ));
    }
    let required = |m: &Member| matches!(m.absent, Absent::Required) && !m.optional;
    let slot = |m: &Member| format_ident!("slot_{}", m.ident);
    let slots: Vec<Ident> = read.iter().map(|m| slot(m)).collect();
    let names: Vec<&String> = read.iter().map(|m| &m.name).collect();
    let deny_unknown = container.deny_unknown_fields;
    let required_mask = read
        .iter()
        .enumerate()
        .filter(|(_, m)| required(m))
        .fold(0u64, |mask, (i, _)| mask | 1 << i);
    // Required members are matched all at once, so that a missing one is a single error path
    // (rather than one per member, each dropping every other member: quadratic code).
    let required_slots: Vec<Ident> = read
        .iter()
        .filter(|m| required(m))
        .map(|m| slot(m))
        .collect();
    let values = members.iter().map(|m| {
        let ident = &m.ident;
        let slot = slot(m);
        let value = match &m.absent {
            Absent::Required if m.optional => quote!(#slot.unwrap_or_default()),
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
            #required_mask,
            #deny_unknown,
            &mut [#(&mut #slots as &mut dyn ::colmena_sdk::json::Slot),*],
        )?;
        // `members` has checked that the required ones are present.
        match (#(#required_slots,)*) {
            (#(::core::option::Option::Some(#required_slots),)*) => {
                ::core::result::Result::Ok(Self { #(#values),* })
            }
            #[allow(unreachable_patterns)]
            _ => ::core::result::Result::Err(json.invalid("missing member")),
        }
    })
}

fn decode_enum(data: &syn::DataEnum, container: &Container) -> Result<TokenStream> {
    let variants = variants(data, container)?;
    let mut arms = Vec::new();
    let mut names = Vec::new();
    let mut fallback = None;
    for variant in &variants {
        if variant.fields.is_some() {
            return Err(Error::new_spanned(
                &variant.ident,
                "Decode reads enums with data only through `try_from` or `from`",
            ));
        }
        let (ident, name) = (&variant.ident, &variant.name);
        if variant.other {
            fallback = Some(ident);
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

fn encode_enum(data: &syn::DataEnum, container: &Container) -> Result<TokenStream> {
    let variants = variants(data, container)?;
    let mut arms = Vec::new();
    for variant in &variants {
        let (ident, name) = (&variant.ident, &variant.name);
        arms.push(match (&variant.fields, &container.tag) {
            (None, None) => quote!(Self::#ident => out.string(#name)),
            (None, Some(tag)) => quote!(Self::#ident => {
                out.open_object();
                out.members(&[(#tag, ::core::option::Option::Some(&#name))]);
                out.close_object();
            }),
            (Some(fields), Some(tag)) => {
                let idents = fields.iter().map(|f| &f.ident);
                let write = write_members(fields, |ident| quote!(#ident));
                quote!(Self::#ident { #(#idents),* } => {
                    out.open_object();
                    out.members(&[(#tag, ::core::option::Option::Some(&#name))]);
                    #write
                    out.close_object();
                })
            }
            (Some(_), None) => {
                return Err(Error::new_spanned(
                    ident,
                    "Encode writes enums with data only when internally tagged (`tag`)",
                ))
            }
        });
    }
    Ok(quote!(match self { #(#arms,)* }))
}

/// The statements that write `members`, each value given by `value(ident)` (a reference).
fn write_members(members: &[Member], value: impl Fn(&Ident) -> TokenStream) -> TokenStream {
    // Runs of plain members become one `members` call with a table; a flattened member writes
    // its own members in between.
    let mut statements = Vec::new();
    let mut run = Vec::new();
    for member in members.iter().filter(|m| !m.unwritten) {
        let reference = value(&member.ident);
        if member.flatten {
            if !run.is_empty() {
                statements.push(quote!(out.members(&[#(#run),*]);));
                run.clear();
            }
            statements.push(quote!(::colmena_sdk::json::Encode::encode_members(#reference, out);));
            continue;
        }
        let name = &member.name;
        run.push(match &member.omit_if {
            Some(omit) => quote!((#name, if #omit(#reference) {
                ::core::option::Option::None
            } else {
                ::core::option::Option::Some(#reference as &dyn ::colmena_sdk::json::Encode)
            })),
            None => quote!((#name, ::core::option::Option::Some(
                #reference as &dyn ::colmena_sdk::json::Encode
            ))),
        });
    }
    if !run.is_empty() {
        statements.push(quote!(out.members(&[#(#run),*]);));
    }
    quote!(#(#statements)*)
}

fn variants(data: &syn::DataEnum, container: &Container) -> Result<Vec<Variant>> {
    let mut variants = Vec::new();
    for variant in &data.variants {
        let ident = variant.ident.clone();
        let mut name = rename(&ident.to_string(), container.rename_all, true);
        let mut other = false;
        for meta in serde_metas(&variant.attrs)? {
            match &meta {
                Meta::NameValue(nv) if nv.path.is_ident("rename") => {
                    name = string_value(&nv.value)?
                }
                Meta::Path(path) if path.is_ident("other") => other = true,
                _ => return Err(unsupported(&meta)),
            }
        }
        let fields = match &variant.fields {
            Fields::Unit => None,
            Fields::Named(_) => Some(named_members(&variant.fields, container.rename_all_fields)?),
            Fields::Unnamed(_) => {
                return Err(Error::new_spanned(
                    variant,
                    "tuple variants are not supported",
                ))
            }
        };
        variants.push(Variant {
            ident,
            name,
            other,
            fields,
        });
    }
    Ok(variants)
}

fn named_members(fields: &Fields, case: Option<Case>) -> Result<Vec<Member>> {
    let mut members = Vec::new();
    for field in fields {
        let ident = field
            .ident
            .clone()
            .ok_or_else(|| Error::new(Span::call_site(), "expected named fields"))?;
        members.push(member(field, ident, case)?);
    }
    Ok(members)
}

fn member(field: &syn::Field, ident: Ident, case: Option<Case>) -> Result<Member> {
    let mut member = Member {
        name: rename(&ident.to_string(), case, false),
        ident,
        absent: Absent::Required,
        omit_if: None,
        unwritten: false,
        flatten: false,
        optional: matches!(&field.ty, syn::Type::Path(path)
            if path.path.segments.last().is_some_and(|segment| segment.ident == "Option")),
    };
    for meta in serde_metas(&field.attrs)? {
        match &meta {
            Meta::NameValue(nv) if nv.path.is_ident("rename") => {
                member.name = string_value(&nv.value)?
            }
            Meta::Path(path) if path.is_ident("default") => member.absent = Absent::Default,
            Meta::NameValue(nv) if nv.path.is_ident("default") => {
                member.absent = Absent::DefaultWith(syn::parse_str(&string_value(&nv.value)?)?)
            }
            Meta::NameValue(nv) if nv.path.is_ident("deserialize_with") => {
                if string_value(&nv.value)? != "explicit_null" {
                    return Err(unsupported(&meta));
                }
                member.absent = Absent::ExplicitNull;
            }
            Meta::NameValue(nv) if nv.path.is_ident("skip_serializing_if") => {
                member.omit_if = Some(syn::parse_str(&string_value(&nv.value)?)?)
            }
            Meta::Path(path) if path.is_ident("skip") => {
                member.absent = Absent::Skipped;
                member.unwritten = true;
            }
            Meta::Path(path) if path.is_ident("skip_deserializing") => {
                member.absent = Absent::Skipped
            }
            Meta::Path(path) if path.is_ident("skip_serializing") => member.unwritten = true,
            Meta::Path(path) if path.is_ident("flatten") => member.flatten = true,
            _ => return Err(unsupported(&meta)),
        }
    }
    Ok(member)
}

fn container(input: &DeriveInput) -> Result<Container> {
    let mut container = Container::default();
    let case = |meta: &Meta, value: &syn::Expr| -> Result<Case> {
        Ok(match string_value(value)?.as_str() {
            "camelCase" => Case::Camel,
            "snake_case" => Case::Snake,
            "lowercase" => Case::Lower,
            "SCREAMING_SNAKE_CASE" => Case::ScreamingSnake,
            _ => return Err(unsupported(meta)),
        })
    };
    for meta in serde_metas(&input.attrs)? {
        match &meta {
            Meta::NameValue(nv) if nv.path.is_ident("rename_all") => {
                container.rename_all = Some(case(&meta, &nv.value)?)
            }
            Meta::NameValue(nv) if nv.path.is_ident("rename_all_fields") => {
                container.rename_all_fields = Some(case(&meta, &nv.value)?)
            }
            Meta::Path(path) if path.is_ident("deny_unknown_fields") => {
                container.deny_unknown_fields = true
            }
            Meta::Path(path) if path.is_ident("transparent") => container.transparent = true,
            Meta::NameValue(nv) if nv.path.is_ident("try_from") || nv.path.is_ident("from") => {
                let source = syn::parse_str(&string_value(&nv.value)?)?;
                container.decode_via = Some((source, nv.path.is_ident("try_from")));
            }
            Meta::NameValue(nv) if nv.path.is_ident("tag") => {
                container.tag = Some(string_value(&nv.value)?)
            }
            // The type's own name.
            Meta::NameValue(nv) if nv.path.is_ident("rename") => {}
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
        }) => Ok(lit.value()),
        _ => Err(Error::new_spanned(expr, "expected a string")),
    }
}

fn unsupported(meta: &Meta) -> Error {
    Error::new_spanned(
        meta,
        "colmena-sdk-derive does not follow this serde attribute; implement the trait by hand",
    )
}

/// The JSON name of a field (`snake_case` ident) or variant (`PascalCase` ident), as serde's
/// `rename_all` makes it.
fn rename(ident: &str, case: Option<Case>, variant: bool) -> String {
    let ident = ident.strip_prefix("r#").unwrap_or(ident);
    let Some(case) = case else {
        return ident.to_owned();
    };
    let words: Vec<String> = if variant {
        let mut words: Vec<String> = Vec::new();
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

#[cfg(test)]
mod tests {
    use super::{rename, Case};

    #[test]
    fn names_follow_serde_rename_all() {
        assert_eq!(
            rename("compare_at_price", Some(Case::Camel), false),
            "compareAtPrice"
        );
        assert_eq!(rename("variant_id", None, false), "variant_id");
        assert_eq!(
            rename("PendingPayment", Some(Case::Snake), true),
            "pending_payment"
        );
        assert_eq!(
            rename("StoreNotFound", Some(Case::ScreamingSnake), true),
            "STORE_NOT_FOUND"
        );
        assert_eq!(
            rename("SetQuantity", Some(Case::Camel), true),
            "setQuantity"
        );
        assert_eq!(rename("Owner", Some(Case::Lower), true), "owner");
        assert_eq!(rename("r#type", Some(Case::Camel), false), "type");
    }
}
