//! "Periksa Kartu ASN" from a picture: the card's QR code read from a PNG or JPEG the user picked (a screenshot, a
//! photo), and the card links a verifier meets (the QR's verify URL, the app's `mysapk://verify/…` deep link)
//! turned into the token that the offline check ([`crate::Core::check_card`]) takes.
//!
//! The picture comes from anywhere, so it is bounded before anything is decoded: at most [`MAX_PICTURE_BYTES`]
//! bytes, only PNG or JPEG (by content, not by name), at most [`MAX_PICTURE_SIDE`] pixels a side and
//! [`MAX_PICTURE_PIXELS`] pixels in all (read from the header alone), and the decoder itself runs under the same
//! limits and an allocation cap ([`MAX_DECODE_ALLOC`]). A large picture is searched at [`SEARCH_SIDE`] pixels first
//! (a phone photo), then at full size. Nothing here panics on malformed input: every failure is one of
//! [`CardPictureError`].

use std::io::Cursor;

use image::{DynamicImage, GrayImage, ImageError, ImageFormat, ImageReader, Limits};
use mysapk_model::card_token::MAX_TOKEN_LEN;
use mysapk_model::Code;

/// The largest picture file read (bytes).
pub const MAX_PICTURE_BYTES: usize = 16 * 1024 * 1024;
/// The longest side of a picture read (pixels).
pub const MAX_PICTURE_SIDE: u32 = 8192;
/// The most pixels a picture read may have (a 40-megapixel photo).
pub const MAX_PICTURE_PIXELS: u64 = 40_000_000;
/// What the decoder may allocate at once (a 40-megapixel RGBA picture and some headroom).
pub const MAX_DECODE_ALLOC: u64 = 256 * 1024 * 1024;
/// A larger picture is first searched scaled down to this longest side.
pub const SEARCH_SIDE: u32 = 2048;

/// The path of the server's public verify page, followed by the token.
const VERIFY_PATH: &str = "/api/v1/verify/";
/// The app's own link to a card check, followed by the token (desktop deep link).
pub const APP_VERIFY_PREFIX: &str = "mysapk://verify/";

/// Why no card token came out of a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardPictureError {
    /// More bytes or pixels than allowed.
    #[error("the picture is larger than allowed")]
    TooLarge,
    /// Not a PNG or JPEG, or one that does not decode.
    #[error("not a readable PNG or JPEG picture")]
    NotImage,
    /// A picture with no readable QR code.
    #[error("no readable QR code in the picture")]
    NoQr,
    /// A QR code whose text is no card link.
    #[error("the QR code is not a card link")]
    NotCard,
}

impl CardPictureError {
    /// The registry's code (the UI shows its text).
    pub fn code(self) -> Code {
        match self {
            CardPictureError::TooLarge => Code::CardPictureTooLarge,
            CardPictureError::NotImage => Code::CardPictureNotImage,
            CardPictureError::NoQr => Code::CardPictureNoQr,
            CardPictureError::NotCard => Code::CardPictureNotCard,
        }
    }
}

/// The card token in `text`: the segment after `/api/v1/verify/` of a verify URL or after `mysapk://verify/` (up
/// to `?`, `#`, `/` or the end), or the text itself when it is a bare token. `None` for anything else, and for a
/// "token" that is not shaped like one (three base64url parts, at most the model's `MAX_TOKEN_LEN`): whether it is
/// a valid card is the check's business, not this reader's.
pub fn token_from_link(text: &str) -> Option<String> {
    let text = text.trim();
    let candidate = if let Some(rest) = text.strip_prefix(APP_VERIFY_PREFIX) {
        segment(rest)
    } else if text.starts_with("https://") || text.starts_with("http://") {
        let at = text.find(VERIFY_PATH)?;
        segment(&text[at + VERIFY_PATH.len()..])
    } else {
        text
    };
    is_token_shaped(candidate).then(|| candidate.to_owned())
}

/// The card token of a link that opened the app: `mysapk://verify/<token>`, or `http(s)://<host>/api/v1/verify/<token>`
/// (the verify page's own path, nowhere else in the URL). `None` for any other link.
pub fn token_from_app_link(url: &str) -> Option<String> {
    let url = url.trim();
    let candidate = if let Some(rest) = url.strip_prefix(APP_VERIFY_PREFIX) {
        segment(rest)
    } else {
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
        let (_host, path) = rest.split_once('/')?;
        segment(path.strip_prefix(&VERIFY_PATH[1..])?)
    };
    is_token_shaped(candidate).then(|| candidate.to_owned())
}

/// The path segment at the start of `rest`.
fn segment(rest: &str) -> &str {
    rest.split(['?', '#', '/']).next().unwrap_or_default()
}

/// Three base64url parts (the last may be empty: the check refuses it with a reason), not too long.
fn is_token_shaped(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    s.len() <= MAX_TOKEN_LEN
        && parts.len() == 3
        && !parts[0].is_empty()
        && !parts[1].is_empty()
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// The card token in the QR code of a PNG or JPEG picture.
pub fn token_from_picture(bytes: &[u8]) -> Result<String, CardPictureError> {
    let image = decode(bytes)?;
    let mut texts = qr_texts(&scaled_for_search(&image));
    if texts.is_empty() && image.width().max(image.height()) > SEARCH_SIDE {
        texts = qr_texts(&image);
    }
    if texts.is_empty() {
        return Err(CardPictureError::NoQr);
    }
    texts.iter().find_map(|t| token_from_link(t)).ok_or(CardPictureError::NotCard)
}

/// The picture in grey, after its size was checked from the header.
fn decode(bytes: &[u8]) -> Result<GrayImage, CardPictureError> {
    if bytes.len() > MAX_PICTURE_BYTES {
        return Err(CardPictureError::TooLarge);
    }
    let reader = || -> Result<ImageReader<Cursor<&[u8]>>, CardPictureError> {
        let reader =
            ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| CardPictureError::NotImage)?;
        match reader.format() {
            Some(ImageFormat::Png | ImageFormat::Jpeg) => Ok(reader),
            _ => Err(CardPictureError::NotImage),
        }
    };
    let (width, height) = reader()?.into_dimensions().map_err(from_image_error)?;
    if width == 0 || height == 0 {
        return Err(CardPictureError::NotImage);
    }
    if width > MAX_PICTURE_SIDE
        || height > MAX_PICTURE_SIDE
        || u64::from(width) * u64::from(height) > MAX_PICTURE_PIXELS
    {
        return Err(CardPictureError::TooLarge);
    }
    let mut reader = reader()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_PICTURE_SIDE);
    limits.max_image_height = Some(MAX_PICTURE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    let image: DynamicImage = reader.decode().map_err(from_image_error)?;
    Ok(image.into_luma8())
}

fn from_image_error(e: ImageError) -> CardPictureError {
    match e {
        ImageError::Limits(_) => CardPictureError::TooLarge,
        _ => CardPictureError::NotImage,
    }
}

/// The picture itself, or scaled down to [`SEARCH_SIDE`] when larger.
fn scaled_for_search(image: &GrayImage) -> GrayImage {
    let (w, h) = image.dimensions();
    let longest = w.max(h);
    if longest <= SEARCH_SIDE {
        return image.clone();
    }
    let scale = |side: u32| ((u64::from(side) * u64::from(SEARCH_SIDE)) / u64::from(longest)).max(1) as u32;
    image::imageops::resize(image, scale(w), scale(h), image::imageops::FilterType::Triangle)
}

/// The texts of every QR code that decodes in `image`.
fn qr_texts(image: &GrayImage) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare(image.clone());
    prepared.detect_grids().iter().filter_map(|grid| grid.decode().ok().map(|(_, text)| text)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::codecs::jpeg::JpegEncoder;
    use image::{ImageEncoder, Luma};
    use qrcode::{Color, QrCode};
    use rand::{Rng, SeedableRng};

    const TOKEN: &str = "eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIn0.eyJuaXAiOiIxOTkwMDEwMTIwMTUwMzEwMDEifQ.c2lnbmF0dXJl";

    /// `text` as a QR code: `scale` pixels a module, a quiet zone of four modules, black on white.
    fn qr_image(text: &str, scale: u32) -> GrayImage {
        let code = QrCode::new(text.as_bytes()).expect("encodable");
        let modules = code.width() as u32;
        let colors = code.to_colors();
        let side = (modules + 8) * scale;
        GrayImage::from_fn(side, side, |x, y| {
            let (mx, my) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
            let dark = mx < modules && my < modules && colors[(my * modules + mx) as usize] == Color::Dark;
            Luma([if dark { 0 } else { 255 }])
        })
    }

    fn png(image: &GrayImage) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, ImageFormat::Png).expect("png");
        out.into_inner()
    }

    fn jpeg(image: &GrayImage, quality: u8) -> Vec<u8> {
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, quality)
            .write_image(image.as_raw(), image.width(), image.height(), image::ExtendedColorType::L8)
            .expect("jpeg");
        out
    }

    fn verify_url() -> String {
        format!("https://sapk.example.go.id/api/v1/verify/{TOKEN}")
    }

    #[test]
    fn a_card_qr_in_a_png_or_a_jpeg_gives_its_token() {
        let image = qr_image(&verify_url(), 6);
        assert_eq!(token_from_picture(&png(&image)).as_deref(), Ok(TOKEN));
        assert_eq!(token_from_picture(&jpeg(&image, 80)).as_deref(), Ok(TOKEN));
        // The QR somewhere in a larger, grey picture (a screenshot of the card screen).
        let small = qr_image(&verify_url(), 4);
        let mut canvas = GrayImage::from_pixel(900, 700, Luma([200]));
        image::imageops::overlay(&mut canvas, &small, 300, 150);
        assert_eq!(token_from_picture(&png(&canvas)).as_deref(), Ok(TOKEN));
    }

    #[test]
    fn a_photo_larger_than_the_search_size_is_scaled_down_first() {
        let code = qr_image(&verify_url(), 12);
        let mut canvas = GrayImage::from_pixel(SEARCH_SIDE + 600, 1200, Luma([255]));
        image::imageops::overlay(&mut canvas, &code, 900, 100);
        assert_eq!(token_from_picture(&jpeg(&canvas, 85)).as_deref(), Ok(TOKEN));
    }

    #[test]
    fn a_qr_that_is_no_card_link_and_a_picture_without_qr_are_told_apart() {
        for text in ["https://example.com/halo", "just words", "https://sapk.example.go.id/api/v1/verify/"] {
            assert_eq!(token_from_picture(&png(&qr_image(text, 5))), Err(CardPictureError::NotCard), "{text}");
        }
        let blank = GrayImage::from_pixel(300, 200, Luma([255]));
        assert_eq!(token_from_picture(&png(&blank)), Err(CardPictureError::NoQr));
        let noise = GrayImage::from_fn(256, 256, |x, y| Luma([((x * 31 + y * 17) % 251) as u8]));
        assert_eq!(token_from_picture(&png(&noise)), Err(CardPictureError::NoQr));
    }

    #[test]
    fn what_is_no_png_or_jpeg_is_not_an_image() {
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
        let bmp = {
            let mut out = Cursor::new(Vec::new());
            GrayImage::from_pixel(4, 4, Luma([0])).write_to(&mut out, ImageFormat::Bmp).map(|_| out.into_inner())
        };
        let mut cases: Vec<Vec<u8>> = vec![Vec::new(), b"hello".to_vec(), verify_url().into_bytes(), gif];
        // BMP is not built in: encoding fails or, if it ever is, reading still refuses it.
        if let Ok(bmp) = bmp {
            cases.push(bmp);
        }
        cases.push(b"\x89PNG\r\n\x1a\n".to_vec());
        cases.push(vec![0xFF, 0xD8, 0xFF]);
        for bytes in cases {
            assert_eq!(token_from_picture(&bytes), Err(CardPictureError::NotImage), "{bytes:?}");
        }
    }

    #[test]
    fn a_file_over_the_byte_limit_is_refused_before_reading() {
        let mut bytes = png(&qr_image(&verify_url(), 4));
        bytes.resize(MAX_PICTURE_BYTES + 1, 0);
        assert_eq!(token_from_picture(&bytes), Err(CardPictureError::TooLarge));
    }

    /// The CRC-32 of PNG chunks (ISO 3309), to forge a header that the decoder accepts.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    /// A real PNG whose header claims `width` × `height`.
    fn png_claiming(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = png(&GrayImage::from_pixel(2, 2, Luma([255])));
        // Signature (8), IHDR length (4), "IHDR" (4), width, height, … CRC over type and data (17 bytes).
        bytes[16..20].copy_from_slice(&width.to_be_bytes());
        bytes[20..24].copy_from_slice(&height.to_be_bytes());
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        bytes
    }

    /// A real JPEG whose frame header claims `width` × `height`.
    fn jpeg_claiming(width: u16, height: u16) -> Vec<u8> {
        let mut bytes = jpeg(&GrayImage::from_pixel(16, 16, Luma([255])), 90);
        let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).expect("a baseline frame header");
        bytes[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
        bytes[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
        bytes
    }

    #[test]
    fn huge_dimensions_in_the_header_are_refused_before_decoding() {
        assert_eq!(png_claiming(2, 2).len(), png(&GrayImage::from_pixel(2, 2, Luma([255]))).len());
        for (w, h) in [
            (100_000, 100_000),
            (MAX_PICTURE_SIDE + 1, 10),
            (10, MAX_PICTURE_SIDE + 1),
            (8000, 8000),
            (u32::MAX, u32::MAX),
        ] {
            assert_eq!(token_from_picture(&png_claiming(w, h)), Err(CardPictureError::TooLarge), "png {w}×{h}");
        }
        for (w, h) in [(65_535, 65_535), (9000, 100), (7000, 7000)] {
            assert_eq!(token_from_picture(&jpeg_claiming(w, h)), Err(CardPictureError::TooLarge), "jpeg {w}×{h}");
        }
        // A header of zero pixels is no picture.
        assert_eq!(token_from_picture(&png_claiming(0, 5)), Err(CardPictureError::NotImage));
        // Within the limits, a header that lies about the data is refused by the decoder, not trusted.
        assert!(token_from_picture(&png_claiming(4000, 4000)).is_err());
        assert!(token_from_picture(&jpeg_claiming(3000, 3000)).is_err());
    }

    #[test]
    fn malformed_pictures_never_panic() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(15);
        let image = qr_image(&verify_url(), 3);
        for valid in [png(&image), jpeg(&image, 75)] {
            // Every truncation of the first bytes, then coarser steps.
            let cuts = (0..valid.len().min(200)).chain((200..valid.len()).step_by(97));
            for cut in cuts {
                let result = token_from_picture(&valid[..cut]);
                // Cut within the headers nothing reads; a JPEG cut near its end may still decode (the decoder
                // fills what is missing), which is no fault.
                if cut < 200 {
                    assert!(result.is_err(), "truncated at {cut}");
                }
            }
            // Flipped bytes anywhere: any answer but a panic (a flip in the pixels may still read).
            for _ in 0..300 {
                let mut bytes = valid.clone();
                for _ in 0..rng.gen_range(1..8) {
                    let at = rng.gen_range(0..bytes.len());
                    bytes[at] = rng.gen();
                }
                let _ = token_from_picture(&bytes);
            }
        }
        // Random bytes, some behind a PNG or JPEG signature.
        for i in 0..300 {
            let len = rng.gen_range(0..4096);
            let mut bytes: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
            let signature: &[u8] = match i % 3 {
                0 => b"\x89PNG\r\n\x1a\n",
                1 => &[0xFF, 0xD8, 0xFF, 0xE0],
                _ => &[],
            };
            bytes.splice(0..0, signature.iter().copied());
            assert!(token_from_picture(&bytes).is_err());
        }
    }

    #[test]
    fn card_links_give_their_token_and_anything_else_none() {
        let cases = [
            (verify_url(), Some(TOKEN)),
            (format!("  http://127.0.0.1:8080/api/v1/verify/{TOKEN}?lang=en#x \n"), Some(TOKEN)),
            (format!("https://h/api/v1/verify/{TOKEN}/extra"), Some(TOKEN)),
            (format!("mysapk://verify/{TOKEN}"), Some(TOKEN)),
            (format!("mysapk://verify/{TOKEN}?from=web"), Some(TOKEN)),
            (TOKEN.to_owned(), Some(TOKEN)),
            // Not card links.
            (String::new(), None),
            ("mysapk://verify/".to_owned(), None),
            (format!("mysapk://other/{TOKEN}"), None),
            (format!("https://h/api/v1/card/{TOKEN}"), None),
            (format!("ftp://h/api/v1/verify/{TOKEN}"), None),
            ("https://h/api/v1/verify/not-a-token".to_owned(), None),
            ("https://h/api/v1/verify/a.b".to_owned(), None),
            ("https://h/api/v1/verify/a%2Eb.c".to_owned(), None),
            ("Kartu: a.b.c".to_owned(), None),
            ("a..c".to_owned(), None),
            (format!("{}.b.c", "A".repeat(MAX_TOKEN_LEN)), None),
        ];
        for (text, want) in cases {
            assert_eq!(token_from_link(&text).as_deref(), want, "{text}");
        }
        // The last part may be empty (the check refuses it with its own reason).
        assert_eq!(token_from_link("a.b.").as_deref(), Some("a.b."));
    }

    #[test]
    fn an_app_link_is_a_card_link_by_its_path_only() {
        let good = [
            format!("mysapk://verify/{TOKEN}"),
            format!("https://sapk.example.go.id/api/v1/verify/{TOKEN}"),
            format!("http://127.0.0.1:8080/api/v1/verify/{TOKEN}?x=1"),
        ];
        for url in good {
            assert_eq!(token_from_app_link(&url).as_deref(), Some(TOKEN), "{url}");
        }
        let bad = [
            TOKEN.to_owned(),
            format!("https://evil.example/redirect?to=/api/v1/verify/{TOKEN}"),
            format!("https://h/prefix/api/v1/verify/{TOKEN}"),
            format!("mysapk://verify/{TOKEN}.x"),
            format!("mysapk://settings/{TOKEN}"),
            format!("javascript:alert(1)//api/v1/verify/{TOKEN}"),
            "https://h/api/v1/verify/".to_owned(),
            "https://h".to_owned(),
        ];
        for url in bad {
            assert_eq!(token_from_app_link(&url), None, "{url}");
        }
    }

    #[test]
    fn every_failure_has_its_own_code() {
        let codes: Vec<&str> =
            [CardPictureError::TooLarge, CardPictureError::NotImage, CardPictureError::NoQr, CardPictureError::NotCard]
                .iter()
                .map(|e| e.code().as_str())
                .collect();
        assert_eq!(
            codes,
            ["card_picture.too_large", "card_picture.not_image", "card_picture.no_qr", "card_picture.not_card"]
        );
    }
}
