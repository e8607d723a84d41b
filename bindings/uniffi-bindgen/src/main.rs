//! uniffi's binding generator, built from the same uniffi version as `colmena-mobile`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
