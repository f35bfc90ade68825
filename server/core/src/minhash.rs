//! MinHash signatures and LSH bands for near-duplicate paragraphs.
//!
//! A paragraph's normalised words are cut into shingles of `shingle_words` consecutive words;
//! [`SIGNATURE_LEN`] independent hash functions each keep their minimum over the shingles. Two
//! signatures agree at a position with probability equal to the Jaccard similarity of the
//! shingle sets. Only the top 16 bits of each minimum are kept (b-bit MinHash): it makes a
//! signature 160 bytes, and a chance agreement (1 in 65 536) hardly moves the estimate.
//!
//! Locality-sensitive hashing groups the signature into [`BANDS`] bands of [`ROWS`] rows; two
//! paragraphs become candidates when any band is equal. With 20 × 4 the S-curve is centred near
//! Jaccard 0.47: a pair at 0.6 is a candidate with probability 0.94, at 0.7 with 0.997, at 0.3
//! with 0.15 (candidates are then checked against the threshold with the full signature).
//! Paragraphs are short, so the defaults are word bigrams (three changed words in a 35-word
//! paragraph keep a bigram Jaccard near 0.7, where document-level 5-grams fall to 0.5).

/// Number of hash functions in a signature.
pub const SIGNATURE_LEN: usize = BANDS * ROWS;
/// Number of LSH bands.
pub const BANDS: usize = 20;
/// Rows (signature positions) per band.
pub const ROWS: usize = 4;

/// A b-bit MinHash signature.
pub type Signature = [u16; SIGNATURE_LEN];

/// Multipliers and offsets of the hash family, derived from a fixed seed with SplitMix64 so
/// that signatures are identical across runs and machines.
const PERMUTATIONS: [(u64, u64); SIGNATURE_LEN] = {
    let mut table = [(0u64, 0u64); SIGNATURE_LEN];
    let mut state: u64 = 0x6761_7a65_7474_6531; // "gazette1"
    let mut i = 0;
    while i < SIGNATURE_LEN {
        let mut pair = [0u64; 2];
        let mut j = 0;
        while j < 2 {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            pair[j] = z ^ (z >> 31);
            j += 1;
        }
        table[i] = (pair[0] | 1, pair[1]);
        i += 1;
    }
    table
};

/// The signature of a normalised paragraph (words separated by single spaces), or `None` when
/// it has no words.
pub fn signature(normalized: &[u8], shingle_words: usize) -> Option<Signature> {
    let shingle_words = shingle_words.max(1);
    let word_hashes: Vec<u64> = normalized
        .split(|&byte| byte == b' ')
        .filter(|word| !word.is_empty())
        .map(xxhash_rust::xxh3::xxh3_64)
        .collect();
    if word_hashes.is_empty() {
        return None;
    }
    let mut minima = [u64::MAX; SIGNATURE_LEN];
    let window = shingle_words.min(word_hashes.len());
    for shingle in word_hashes.windows(window) {
        let mut hash = 0u64;
        for &word in shingle {
            hash = (hash.rotate_left(23) ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
        hash ^= hash >> 29;
        for (minimum, &(multiplier, offset)) in minima.iter_mut().zip(PERMUTATIONS.iter()) {
            let value = hash.wrapping_mul(multiplier).wrapping_add(offset);
            *minimum = (*minimum).min(value);
        }
    }
    let mut signature = [0u16; SIGNATURE_LEN];
    for (bits, minimum) in signature.iter_mut().zip(minima) {
        *bits = (minimum >> 48) as u16;
    }
    Some(signature)
}

/// The LSH keys of a signature, one per band; the band number is mixed in so that equal rows in
/// different bands never collide.
pub fn band_keys(signature: &Signature) -> [u64; BANDS] {
    let mut keys = [0u64; BANDS];
    for (band, key) in keys.iter_mut().enumerate() {
        let rows = &signature[band * ROWS..(band + 1) * ROWS];
        let mut packed = 0u64;
        for &row in rows {
            packed = (packed << 16) | u64::from(row);
        }
        // Mix in the band number with a multiply so keys stay well spread for hash maps.
        *key = (packed ^ (band as u64).wrapping_mul(0xa076_1d64_78bd_642f))
            .wrapping_mul(0xe703_7ed1_a0b4_28db)
            .rotate_left(31);
    }
    keys
}

/// The estimated Jaccard similarity of the shingle sets behind two signatures.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    let equal = a.iter().zip(b.iter()).filter(|(x, y)| x == y).count();
    equal as f64 / SIGNATURE_LEN as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn estimate(a: &str, b: &str) -> f64 {
        similarity(
            &signature(normalize(a).as_bytes(), 2).unwrap(),
            &signature(normalize(b).as_bytes(), 2).unwrap(),
        )
    }

    #[test]
    fn identical_paragraphs_have_identical_signatures() {
        let text = "Chairman Tho expressed his delight at the fruitful results of cooperation";
        assert_eq!(estimate(text, text), 1.0);
        assert_eq!(signature(b"", 2), None);
    }

    #[test]
    fn a_few_changed_words_stay_similar() {
        let original = "Over the past 5 years, the Da Nang branches of the associations for promoting \
            friendships between Viet Nam and Laos, Russia, Japan and other foreign countries have \
            made significant contributions to the city's external relations";
        let edited = original
            .replace("past 5 years", "past five years")
            .replace("significant", "major");
        let estimated = estimate(original, &edited);
        assert!(estimated > 0.7, "{estimated}");
        let unrelated = "Osan city annually sends a delegation of the Home Repair Center to carry \
            out the program of painting and repairing houses for poor families in Quang Nam";
        let estimated = estimate(original, unrelated);
        assert!(estimated < 0.2, "{estimated}");
    }

    #[test]
    fn band_keys_differ_per_band() {
        let signature = [7u16; SIGNATURE_LEN];
        let keys = band_keys(&signature);
        assert_ne!(keys[0], keys[1]);
    }
}
