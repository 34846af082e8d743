//! The loop of the languages' crude tokenizers (a [`Mutator`]'s `tokens`):
//! each language says only what a token starting at a byte is.
//!
//! [`Mutator`]: super::mutation::Mutator

/// Byte ranges of the tokens of `text`. At each position `i` not yet
/// passed, `token` moves `i` past what starts there (at least one byte)
/// and says whether that is a token (`false`: blanks or a comment).
pub fn scan(text: &str, mut token: impl FnMut(&[u8], &mut usize) -> bool) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        if token(bytes, &mut i) {
            out.push((start, i));
        }
    }
    out
}

/// The first position from `i` on whose byte is not `pred`'s, else the end.
pub fn skip_while(bytes: &[u8], mut i: usize, pred: impl Fn(u8) -> bool) -> usize {
    while i < bytes.len() && pred(bytes[i]) {
        i += 1;
    }
    i
}
