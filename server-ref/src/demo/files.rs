//! The demo's generated files: product pictures (SVG) and the guides digital products deliver
//! (PDF).

pub(super) fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A product picture: the category's colour, a honeycomb cell and the product's initials.
pub(super) fn product_svg(name: &str, colour: &str, index: usize) -> String {
    let initials: String = name
        .split_whitespace()
        .filter_map(|word| word.chars().next())
        .filter(|c| c.is_alphanumeric())
        .take(2)
        .collect();
    let rotation = (index * 37) % 60;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" role="img" aria-label="{label}"><rect width="400" height="300" fill="{colour}"/><g transform="translate(200 150) rotate({rotation})" opacity="0.35" fill="#fff"><polygon points="0,-110 95,-55 95,55 0,110 -95,55 -95,-55"/></g><text x="200" y="172" font-family="sans-serif" font-size="72" font-weight="700" fill="#fff" text-anchor="middle">{initials}</text></svg>"##,
        label = escape_xml(name),
        initials = escape_xml(&initials),
    )
}

/// A one-page PDF with a title and lines of text, standing in for a real digital product.
pub(super) fn guide_pdf(title: &str, lines: &[&str]) -> Vec<u8> {
    let escape = |text: &str| {
        text.chars()
            .filter(char::is_ascii)
            .flat_map(|c| match c {
                '(' | ')' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect::<String>()
    };
    let mut content = format!("BT /F1 20 Tf 72 760 Td ({}) Tj ET", escape(title));
    for (index, line) in lines.iter().enumerate() {
        content.push_str(&format!(
            " BT /F1 12 Tf 72 {} Td ({}) Tj ET",
            720 - 18 * index,
            escape(line)
        ));
    }
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (index, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{object}\nendobj\n", index + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for offset in offsets {
        pdf.push_str(&format!("{offset:010} 00000 n \n"));
    }
    pdf.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    pdf.into_bytes()
}
