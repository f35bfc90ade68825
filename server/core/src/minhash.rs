//! MinHash signatures and LSH bands for near-duplicate paragraphs.
//!
//! A paragraph's normalised words are cut into shingles of `shingle_words` consecutive words;
//! the signature holds [`SIGNATURE_LEN`] minima over the shingles, computed with fast
//! similarity sketching (see [`signature`]): a few hashes per shingle, not one per shingle and
//! position. Two signatures agree at a position with probability equal to the
//! Jaccard similarity of the shingle sets. Only the low 16 bits of each minimum are kept (b-bit
//! MinHash): it makes a signature 160 bytes, and a chance agreement (1 in 65 536) hardly moves
//! the estimate.
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

/// SplitMix64's finaliser: a fixed, well-mixing function of 64 bits.
pub(crate) const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The bin (0..[`SIGNATURE_LEN`]) of a uniform 64-bit hash: its top bits, by multiply-shift.
const fn bin_of(hash: u64) -> usize {
    ((hash as u128 * SIGNATURE_LEN as u128) >> 64) as usize
}

/// The signature of a normalised paragraph (words separated by single spaces), or `None` when
/// it has no words.
///
/// This is fast similarity sketching (Dahlgaard, Knudsen and Thorup, FOCS 2017): each shingle
/// is hashed once; in round `r`, every shingle is hashed again with the round's seed, the top
/// bits choose one of the [`SIGNATURE_LEN`] bins and the bin keeps the minimum of `r` followed
/// by the other bits. Rounds stop as soon as every bin holds a value: values of later rounds
/// are larger, so no later round could change one. Long paragraphs fill the bins in one round
/// (one hash per shingle); short ones take about `SIGNATURE_LEN · ln SIGNATURE_LEN` hashes in
/// all, instead of [`SIGNATURE_LEN`] per shingle for classic MinHash. Two signatures agree at a
/// position with probability close to the Jaccard similarity and concentrate like
/// [`SIGNATURE_LEN`] independent MinHashes (one-permutation hashing with densification, tried
/// first, was cheaper but noisier on short paragraphs and lost recall).
pub fn signature(normalized: &[u8], shingle_words: usize) -> Option<Signature> {
    let shingle_words = shingle_words.clamp(1, MAX_SHINGLE_WORDS);
    let words = if normalized.is_empty() {
        0
    } else {
        memchr::memchr_iter(b' ', normalized).count() + 1
    };
    if words == 0 {
        return None;
    }
    // A paragraph shorter than a shingle is one shingle of all its words.
    let window = shingle_words.min(words);
    let mut shingles: Vec<u64> = Vec::with_capacity(words + 1 - window);
    // The hashes of the last `window` words, in a ring.
    let mut ring = [0u64; MAX_SHINGLE_WORDS];
    for (seen, word) in normalized.split(|&byte| byte == b' ').enumerate() {
        ring[seen % MAX_SHINGLE_WORDS] = xxhash_rust::xxh3::xxh3_64(word);
        if seen + 1 < window {
            continue;
        }
        let mut hash = 0u64;
        for offset in (0..window).rev() {
            let word = ring[(seen - offset) % MAX_SHINGLE_WORDS];
            hash = (hash.rotate_left(23) ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
        shingles.push(hash);
    }
    let mut minima = [u64::MAX; SIGNATURE_LEN];
    let mut filled = 0;
    let mut round = 0u64;
    while filled < SIGNATURE_LEN {
        let seed = mix(0x6761_7a65_7474_6531 ^ round); // "gazette1"
        for &shingle in &shingles {
            let hash = mix(shingle ^ seed);
            let bin = bin_of(hash);
            // The round in the top 16 bits (a one-shingle paragraph needs a few hundred
            // rounds), then bits the bin choice did not use.
            let value = (round << 48) | (hash & 0xffff_ffff_ffff);
            if value < minima[bin] {
                filled += usize::from(minima[bin] == u64::MAX);
                minima[bin] = value;
            }
        }
        round += 1;
    }
    let mut signature = [0u16; SIGNATURE_LEN];
    for (bits, minimum) in signature.iter_mut().zip(minima) {
        // b-bit MinHash keeps the low bits of the minimum, which are uniform.
        *bits = minimum as u16;
    }
    Some(signature)
}

/// The longest shingle accepted (`rules.near-duplicate.shingle-words` is at most 8).
pub const MAX_SHINGLE_WORDS: usize = 8;

/// The LSH keys of a signature, one per band; the band number is mixed in so that equal rows in
/// different bands never collide.
pub fn band_keys(signature: &Signature) -> [u64; BANDS] {
    std::array::from_fn(|band| band_key(signature, band))
}

/// The LSH key of one band of a signature.
pub fn band_key(signature: &Signature, band: usize) -> u64 {
    let mut packed = 0u64;
    for &row in band_rows(signature, band) {
        packed = (packed << 16) | u64::from(row);
    }
    // Mix in the band number with a multiply so keys stay well spread for hash maps.
    (packed ^ (band as u64).wrapping_mul(0xa076_1d64_78bd_642f))
        .wrapping_mul(0xe703_7ed1_a0b4_28db)
        .rotate_left(31)
}

/// The rows of one band of a signature.
pub fn band_rows(signature: &Signature, band: usize) -> &[u16] {
    &signature[band * ROWS..(band + 1) * ROWS]
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
