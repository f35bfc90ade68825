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

/// The bin (0..[`SIGNATURE_LEN`]) of a uniform 32-bit hash: its top bits, by multiply-shift.
const fn bin_of(hash: u32) -> usize {
    ((hash as u64 * SIGNATURE_LEN as u64) >> 32) as usize
}

/// The folded 128-bit product of two 64-bit values (wyhash's `mum`): one multiplication whose
/// high and low halves, XORed, depend on every bit of both operands.
const fn mum(a: u64, b: u64) -> u64 {
    let product = a as u128 * b as u128;
    (product >> 64) as u64 ^ product as u64
}

/// The hash of one normalised word, `word_len` bytes at `start` in `normalized`. Words are
/// short, so this reads the first eight bytes at once (masked when the word is shorter) and
/// folds any further eight-byte pieces in with one multiplication each.
fn word_hash(normalized: &[u8], start: usize, word_len: usize) -> u64 {
    const SEED: u64 = 0xa076_1d64_78bd_642f;
    const MULTIPLIER: u64 = 0xe703_7ed1_a0b4_28db;
    let word = &normalized[start..start + word_len];
    let mut hash = SEED ^ word_len as u64;
    let mut chunks = word.chunks_exact(8);
    for chunk in &mut chunks {
        let piece = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        hash = mum(hash ^ piece, MULTIPLIER);
    }
    let rest = chunks.remainder();
    if rest.is_empty() {
        return hash;
    }
    let rest_start = start + word_len - rest.len();
    // Read eight bytes from the word's tail when the buffer has them, and keep the word's.
    let piece = match normalized.get(rest_start..rest_start + 8) {
        Some(eight) => {
            u64::from_le_bytes(eight.try_into().unwrap_or_default())
                & (u64::MAX >> (64 - 8 * rest.len()))
        }
        None => {
            let mut bytes = [0u8; 8];
            bytes[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(bytes)
        }
    };
    mum(hash ^ piece, MULTIPLIER)
}

/// Bit 7 of every byte of `bytes` that is a space, and no other bit (exact: no borrow crosses
/// bytes, unlike the shorter zero-byte test).
const fn space_bytes(bytes: u64) -> u64 {
    const LOW_SEVEN: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let zero_where_space = bytes ^ 0x2020_2020_2020_2020;
    !(((zero_where_space & LOW_SEVEN) + LOW_SEVEN) | zero_where_space) & !LOW_SEVEN
}

/// The signature of a normalised paragraph (words separated by single spaces), or `None` when
/// it has no words.
///
/// This is fast similarity sketching (Dahlgaard, Knudsen and Thorup, FOCS 2017): in round `r`,
/// every shingle is hashed with the round's seed, the top bits choose one of the
/// [`SIGNATURE_LEN`] bins and the bin keeps the minimum of `r` followed by the hash. Rounds
/// stop as soon as every bin holds a value: values of later rounds are larger, so no later
/// round could change one. Long paragraphs fill the bins in one round (one hash per shingle);
/// short ones take about `SIGNATURE_LEN · ln SIGNATURE_LEN` hashes in all, instead of
/// [`SIGNATURE_LEN`] per shingle for classic MinHash. Two signatures agree at a position with
/// probability close to the Jaccard similarity and concentrate like [`SIGNATURE_LEN`]
/// independent MinHashes (one-permutation hashing with densification, tried first, was cheaper
/// but noisier on short paragraphs and lost recall).
///
/// Cost: a shingle's hash is mixed once; each round then takes one 64 × 64 → 128-bit
/// multiplication per shingle ([`mum`] with the round's two seeds), and its two 32-bit halves
/// are two rounds of the sketch. Words are found with `memchr` and hashed once each, shingles
/// combine word hashes. (Session 3 mixed every shingle with SplitMix64 in every round: about
/// twenty instructions per round and shingle instead of about eight.)
pub fn signature(normalized: &[u8], shingle_words: usize) -> Option<Signature> {
    if normalized.is_empty() {
        return None;
    }
    let shingle_words = shingle_words.clamp(1, MAX_SHINGLE_WORDS);
    // The word hashes, then combined into shingles in place.
    let mut hashes: Vec<u64> = Vec::with_capacity(normalized.len() / 4 + 1);
    let mut start = 0;
    let mut chunk_start = 0;
    // Spaces eight bytes at a time (words are short: `memchr` costs more per call than
    // this per word).
    while let Some(chunk) = normalized.get(chunk_start..chunk_start + 8) {
        let mut spaces = space_bytes(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        while spaces != 0 {
            let space = chunk_start + (spaces.trailing_zeros() / 8) as usize;
            hashes.push(word_hash(normalized, start, space - start));
            start = space + 1;
            spaces &= spaces - 1;
        }
        chunk_start += 8;
    }
    for (offset, &byte) in normalized[chunk_start..].iter().enumerate() {
        if byte == b' ' {
            let space = chunk_start + offset;
            hashes.push(word_hash(normalized, start, space - start));
            start = space + 1;
        }
    }
    hashes.push(word_hash(normalized, start, normalized.len() - start));
    // A paragraph shorter than a shingle is one shingle of all its words.
    let window = shingle_words.min(hashes.len());
    let shingles = hashes.len() + 1 - window;
    for first in 0..shingles {
        let mut hash = 0u64;
        for &word in &hashes[first..first + window] {
            hash = (hash.rotate_left(23) ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
        hashes[first] = mix(hash);
    }
    hashes.truncate(shingles);
    let mut minima = [u64::MAX; SIGNATURE_LEN];
    let mut round = 0u64;
    // Until every bin holds a value; a scan of the bins after each round costs less than
    // counting them in the loop, whose updates are then branch-free (`min`): whether a value
    // is a new minimum is a coin toss the processor cannot predict.
    while minima.contains(&u64::MAX) {
        let seeds = (
            mix(0x6761_7a65_7474_6532 ^ round), // "gazette2"
            mix(0x6761_7a65_7474_6533 ^ round) | 1,
        );
        // Two rounds of the sketch from the two halves of each hash: round `2r` takes the
        // high half, `2r + 1` the low one. A value is its round above the half's 32 bits.
        let high_round = (2 * round) << 32;
        let low_round = (2 * round + 1) << 32;
        for &shingle in &hashes {
            let hash = mum(shingle ^ seeds.0, seeds.1);
            let (high, low) = (hash >> 32, hash & 0xffff_ffff);
            let bin = bin_of(high as u32);
            minima[bin] = minima[bin].min(high_round | high);
            let bin = bin_of(low as u32);
            minima[bin] = minima[bin].min(low_round | low);
        }
        round += 1;
    }
    let mut signature = [0u16; SIGNATURE_LEN];
    for (bits, minimum) in signature.iter_mut().zip(minima) {
        // b-bit MinHash keeps the low bits of the minimum: the bin was chosen by the high
        // bits of the half, so these are uniform and independent of it.
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
    fn a_word_hashes_the_same_wherever_it_is() {
        // The hash reads eight bytes past short words when the buffer has them: the bytes after
        // the word must not count.
        for word in [
            "a",
            "abc",
            "đà",
            "abcdefgh",
            "abcdefghi",
            "international",
            "ẵẵẵẵẵ",
        ] {
            let alone = word_hash(word.as_bytes(), 0, word.len());
            for context in [format!("{word} tail words"), format!("x {word} yyyyyyyyy")] {
                let start = context.find(word).unwrap();
                assert_eq!(
                    word_hash(context.as_bytes(), start, word.len()),
                    alone,
                    "{word:?} in {context:?}"
                );
            }
        }
        assert_ne!(word_hash(b"ab", 0, 2), word_hash(b"ba", 0, 2));
        assert_ne!(word_hash(b"a\0", 0, 2), word_hash(b"a", 0, 1));
    }

    #[test]
    fn space_bytes_are_exact() {
        for bytes in [
            *b"ab cd ef",
            *b"        ",
            *b"\x00 \x01!\x1f\xa0 \xff",
            *b"!!!!!!!!",
        ] {
            let expected = bytes
                .iter()
                .enumerate()
                .filter(|(_, byte)| **byte == b' ')
                .fold(0u64, |mask, (k, _)| mask | (0x80 << (8 * k)));
            assert_eq!(
                space_bytes(u64::from_le_bytes(bytes)),
                expected,
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn every_word_is_hashed_at_every_alignment() {
        // Shingles of one word: the signature of a paragraph is that of its set of words, so
        // any word missed or cut by the space scan changes it.
        let words = ["a", "bb", "ccc", "dddddddd", "eeeeeeeee", "ẵ", "f"];
        for shift in 0..9 {
            let mut text: Vec<&str> = vec!["x"; shift];
            text.extend(words);
            let mut reversed = text.clone();
            reversed.reverse();
            assert_eq!(
                signature(text.join(" ").as_bytes(), 1),
                signature(reversed.join(" ").as_bytes(), 1),
                "{shift}"
            );
            let mut missing = text.clone();
            missing.pop();
            assert_ne!(
                signature(text.join(" ").as_bytes(), 1),
                signature(missing.join(" ").as_bytes(), 1)
            );
        }
    }

    #[test]
    fn estimates_follow_the_jaccard_similarity() {
        // Paragraphs of distinct words sharing a known part: with single-word shingles the
        // Jaccard similarity is shared / (2 · total − shared). The mean estimate over many
        // pairs must be close to it (a biased or correlated sketch drifts), and so must each
        // estimate, within the spread of 80 samples.
        for (total, shared) in [(12usize, 6usize), (40, 30), (60, 20), (200, 150)] {
            let expected = shared as f64 / (2 * total - shared) as f64;
            let mut sum = 0.0;
            let pairs = 200;
            for pair in 0..pairs {
                let word = |side: usize, i: usize| {
                    if i < shared {
                        format!("w{pair}x{i}")
                    } else {
                        format!("w{pair}s{side}x{i}")
                    }
                };
                let a: Vec<String> = (0..total).map(|i| word(0, i)).collect();
                let b: Vec<String> = (0..total).map(|i| word(1, i)).collect();
                let estimated = similarity(
                    &signature(a.join(" ").as_bytes(), 1).unwrap(),
                    &signature(b.join(" ").as_bytes(), 1).unwrap(),
                );
                assert!(
                    (estimated - expected).abs() < 0.3,
                    "{estimated} vs {expected}"
                );
                sum += estimated;
            }
            let mean = sum / pairs as f64;
            assert!(
                (mean - expected).abs() < 0.02,
                "{total} words, {shared} shared: mean {mean} vs {expected}"
            );
        }
    }

    #[test]
    fn band_keys_differ_per_band() {
        let signature = [7u16; SIGNATURE_LEN];
        let keys = band_keys(&signature);
        assert_ne!(keys[0], keys[1]);
    }
}
